"""What every page shares: the app's context, templates, languages and the services' client."""
