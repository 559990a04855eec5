"""Send over SMTP with Flask-Mailman, checking the server's certificate after STARTTLS too."""

from __future__ import annotations

import smtplib
import ssl

from flask_mailman.backends.smtp import EmailBackend as MailmanSMTPBackend


class _VerifyingSMTP(smtplib.SMTP):
    """An SMTP connection whose STARTTLS checks the certificate and the host name."""

    def starttls(self, *, context: ssl.SSLContext | None = None):
        """Upgrade to TLS, verifying the server as ``smtps://`` already does."""
        # smtplib's default STARTTLS context verifies nothing, so anyone on the path could
        # read the password; the system's trusted certificates (or SSL_CERT_FILE) decide.
        return super().starttls(context=context or ssl.create_default_context())


class EmailBackend(MailmanSMTPBackend):
    """Flask-Mailman's SMTP backend, with a verified STARTTLS and no socket left open."""

    @property
    def connection_class(self):
        """Return the connection class: implicit TLS, or plain SMTP that verifies STARTTLS."""
        return smtplib.SMTP_SSL if self.use_ssl else _VerifyingSMTP

    def open(self):
        """Connect and log in, closing the connection again if any step fails."""
        try:
            return super().open()
        except BaseException:
            self._discard()
            raise

    def send_messages(self, email_messages) -> int:
        """Send the messages, closing the connection if one of them fails."""
        # Flask-Mailman leaves the socket open when STARTTLS, login or a message fails;
        # every failed attempt would leak one until the garbage collector found it.
        try:
            return super().send_messages(email_messages)
        except BaseException:
            self._discard()
            raise

    def _discard(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.close()
