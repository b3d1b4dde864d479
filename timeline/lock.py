"""One indexer per database: an exclusive advisory lock on a file beside it.

SQLite would let two indexers take turns transaction by transaction, each
deleting what the other has not seen; a lock held for the whole run makes the
second one wait, or say who holds the database. The lock is ``flock(2)`` on
``<database>.lock``: the kernel releases it when its holder exits, however it
exits, so a killed indexer never leaves a stale lock. The file itself stays
(removing it would race with a process about to lock it) and holds the pid of
the last indexer, so a waiting one can name it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # Windows: no flock; indexers are not kept apart there
    fcntl = None


_held: set[int] = set()  # descriptors of locks this process holds


def _close_in_child() -> None:
    """A forked child (a worker of the indexer's process pool) must not keep the lock alive:
    flock belongs to the open file, so a child holding a copy of the descriptor would hold
    the lock after its parent was killed. Closing the copy leaves the parent's lock as it is."""
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


class LockBusy(Exception):
    """Another process holds the lock; the message names the database and that process."""

    def __init__(self, database: Path, pid: int | None) -> None:
        self.database = database
        self.pid = pid
        holder = f"pid {pid}" if pid else "another process"
        super().__init__(
            f"{database}: another indexer ({holder}) is writing to this database; "
            "wait for it to finish, or run again with --wait"
        )


class LockUnavailable(Exception):
    """The lock file cannot be created or opened; the message says which and why."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def holder_pid(database: Path) -> int | None:
    """The pid written by the process that last took the lock, if it can be read."""
    try:
        text = lock_path(database).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def indexer_lock(
    database: Path, *, wait: bool = False, on_wait: Callable[[int | None], None] | None = None
) -> Iterator[None]:
    """Hold the database's indexer lock for the duration of the block.

    Without ``wait``, raises :class:`LockBusy` at once when another process holds
    it; with ``wait``, calls ``on_wait(pid)`` once and blocks until it is free.
    """
    if fcntl is None:
        yield
        return
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise LockUnavailable(f"{path}: cannot create the indexer's lock file ({error.strerror or error})") from None
    _held.add(fd)
    try:
        _take(fd, database, wait, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # closing the descriptor releases the lock


def _take(fd: int, database: Path, wait: bool, on_wait: Callable[[int | None], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pid = holder_pid(database)
    if not wait:
        raise LockBusy(database, pid)
    if on_wait:
        on_wait(pid)
    fcntl.flock(fd, fcntl.LOCK_EX)
