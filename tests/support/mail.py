"""Recording what goes to the mail task (`residency.mail.send_email`) instead of sending it."""


def record_queued_emails(monkeypatch) -> list[dict]:
    """Replace the mail task's `delay` with a recorder; returns the list it appends to
    (one dict of `subject`, `body`, `to`, `from_email` per queued e-mail)."""
    from residency import mail

    queued: list[dict] = []
    monkeypatch.setattr(mail.send_email, "delay", lambda **message: queued.append(message))
    return queued
