"""The server's mail loop: every ``mail_interval`` seconds (a minute), queue the
reminders of check-ins coming up and deliver what is due (mend.services.mail). Runs only
when a mail server is configured.

With several worker processes each runs its own loop; a mail is claimed before it is
sent, so none goes out twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from mend.app import App

log = logging.getLogger("mend.mail")


def mail_round(mend: App) -> None:
    """One round: reminders queued, then due mail sent (errors are logged, not raised)."""
    from mend.services.mail import checkins, delivery
    from mend.services.mail.smtp import SmtpConfig

    config = SmtpConfig.from_settings(mend.settings)
    mailing = mend.mailing()
    if config is None or mailing is None:
        return
    checkins.remind(mend.uow, mailing, now=mend.now(), tz=mend.tz)
    done = delivery.deliver(mend.uow, config, mend.now)
    if done.retrying or done.failed:
        log.warning(
            "mail: %d sent, %d to retry, %d failed: %s",
            done.sent,
            done.retrying,
            done.failed,
            done.last_error,
        )


async def _loop(mend: App, interval: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
        if stop.is_set():
            return
        try:
            await run_in_threadpool(mail_round, mend)
        except Exception:  # the loop outlives a bad round; the next one tries again
            log.exception("mail: the delivery round failed")


def lifespan(mend: App, interval: float) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the mail loop runs while the server does (if mail is on).

    At shutdown a round under way finishes (it cannot be cut off in its thread, and a
    mail half-recorded would be sent again) before the app closes.
    """

    @asynccontextmanager
    async def run(_: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = (
            asyncio.create_task(_loop(mend, interval, stop)) if mend.settings.sends_mail else None
        )
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task

    return run
