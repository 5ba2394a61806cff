"""Work on a Dask distributed cluster (``pip install govlib[dask]``): a function over many items, sent to the
cluster in batches, the results back in the items' order.

The workers must see the files by the same paths (a shared file system) and run the same govlib. A task is a batch
of items, not one item: one task per file cost 2–4 times the local worker processes in scheduling and pickling.
A task whose worker dies (the kernel's out-of-memory killer) is tried again by Dask on another worker; if Dask
gives it up, its items are tried once more one by one, and an item that fails alone again is ``on_lost``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .errors import GovlibError

BATCH = 32  # items a task takes
AHEAD = 64  # tasks in flight at once: results wait on the cluster at most this many batches ahead


def client_for(scheduler):
    """A ``distributed.Client`` for ``scheduler`` (its address, or a ``Client`` itself), and whether it is ours to
    close."""
    try:
        from distributed import Client
    except ImportError:
        raise GovlibError("running on a cluster needs Dask: pip install 'govlib[dask]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout="20s"), True
    except OSError as e:
        raise GovlibError(f"no Dask scheduler answers at {scheduler} ({e}); start one (`dask scheduler`) or check "
                          f"the address") from None


def map_on_cluster(batch_function: Callable[[list], list], items: list, scheduler,
                   on_lost: Callable[[object, str], object], batch: int = BATCH) -> Iterator:
    """``batch_function`` over ``items`` in batches on the cluster; each item's result, in the items' order."""
    client, own = client_for(scheduler)
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    try:
        pending = []
        upcoming = iter(batches)
        for chunk in upcoming:
            pending.append((chunk, client.submit(batch_function, chunk, pure=False)))
            if len(pending) >= AHEAD:
                break
        while pending:
            chunk, future = pending.pop(0)
            nxt = next(upcoming, None)
            if nxt is not None:
                pending.append((nxt, client.submit(batch_function, nxt, pure=False)))
            try:
                results = future.result()
            except Exception as e:  # the task was given up (its workers died) or raised
                results = [_alone(client, batch_function, item, on_lost, e) for item in chunk]
            del future
            yield from results
    finally:
        for _, future in pending:
            future.cancel()
        if own:
            client.close()


def _alone(client, batch_function, item, on_lost, why: Exception):
    try:
        return client.submit(batch_function, [item], pure=False).result()[0]
    except Exception as e:
        return on_lost(item, f"failed on the cluster ({type(why).__name__}), and again alone ({type(e).__name__}: "
                             f"{e})")
