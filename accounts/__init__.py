"""Accounts: the user model (signs in by e-mail), invitations, and the MFA policy."""
