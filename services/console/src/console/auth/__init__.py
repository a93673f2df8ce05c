"""Signing in: OpenID Connect (authorization code + PKCE), the session cookie and CSRF."""
