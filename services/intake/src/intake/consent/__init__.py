"""Consent to peer support, per stay, and the consent texts staff show."""
