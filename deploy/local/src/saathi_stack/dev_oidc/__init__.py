"""The local stack's OpenID Connect issuer: authorization code + PKCE with a development
sign-in page, so the web console signs in locally as it will at a hospital's provider."""
