"""A real SMTP server on loopback (aiosmtpd) for the mail tests, which can refuse and recover."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """What the server accepted. `accept` how many more messages it takes before refusing
    each with 451 (a temporary failure); None takes everything."""

    messages: list = field(default_factory=list)
    accept: int | None = None
    refused: int = 0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        if self.accept is not None:
            if self.accept <= 0:
                self.refused += 1
                return "451 4.3.0 Mail server busy, try again later"
            self.accept -= 1
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.messages)


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
