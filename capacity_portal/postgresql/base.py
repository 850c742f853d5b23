"""Django's PostgreSQL backend, with a bound on how long a query waits for the server.

`statement_timeout` stops a slow query on a server that runs; it does nothing when the server
does not answer at all (a paused host, a stopped process, a network that drops packets): the
kernel still accepts the bytes, and psycopg waits forever. Here every wait on the connection
(queries, the health check, commit) gives up after DATABASE_ANSWER_TIMEOUT seconds, closes the
connection, and raises OperationalError, which the portal turns into its 503 page. The next
request connects anew (bounded by connect_timeout).
"""

from __future__ import annotations

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class BoundedWaitConnection(psycopg.Connection):
    answer_timeout: float | None = None

    def wait(self, gen, interval: float = 0.1, timeout: float | None = None):
        try:
            return super().wait(gen, interval=interval, timeout=timeout or self.answer_timeout)
        except psycopg.errors._WaitTimeout:
            # The connection is mid-query in an unknown state: never reuse it.
            self.pgconn.finish()
            raise psycopg.errors.ConnectionTimeout(
                f"the database did not answer within {self.answer_timeout:g} s"
            ) from None


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        timeout = getattr(settings, "DATABASE_ANSWER_TIMEOUT", 0)
        if timeout and type(connection) is psycopg.Connection:
            # The same object, with a bounded wait: psycopg.connect() takes no class.
            connection.__class__ = BoundedWaitConnection
            connection.answer_timeout = timeout
        return connection
