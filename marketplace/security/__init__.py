"""Accounts' defences: the security log, the client's address, log-in lockout (django-axes),
limits on account e-mails and session timeouts. docs/security.md says what each promises."""
