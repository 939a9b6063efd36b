"""Whole search responses kept in front of the application, as a reverse proxy's micro-cache keeps them.

A GET of ``/api/documents/search`` or ``/api/indicators`` that this process answered before with a 200, with the same
path and the same query string, is answered again from memory, without routing, validating or searching, as long as
the index is in the generation it was answered in (the backend's :meth:`SearchBackend.generation`; a backend that
cannot tell, such as Elasticsearch, gets no such cache). The backends' own result caches still answer the same
request written another way (other parameter order, another spelling of a province); this one saves the framework's
own work on the request, which a repeated search spends most of its time in.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CACHED_PATHS = frozenset({"/api/documents/search", "/api/indicators"})


class ResponseStore:
    """The responses kept: a bounded least-recently-used map of (path, query string) to (generation, headers, body),
    safe across threads; its hits and misses are shown by ``/api/health``."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str, bytes], tuple[object, list, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple[str, bytes], generation: object) -> tuple[list, bytes] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != generation:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return hit[1], hit[2]

    def put(self, key: tuple[str, bytes], generation: object, headers: list, body: bytes, size: int) -> None:
        with self._lock:
            self._items[key] = (generation, headers, body)
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "size": len(self._items)}


class ResponseCache:
    """ASGI middleware over a :class:`ResponseStore`: ``generation()`` gives the token of the index's current state
    (None: do not cache now), ``size()`` how many responses to keep (0: none); both are asked at each request, so
    that settings overridden while the application runs (as tests do) are followed."""

    def __init__(self, app: ASGIApp, store: ResponseStore, generation: Callable[[], object | None],
                 size: Callable[[], int]) -> None:
        self.app, self.store, self.generation, self.size = app, store, generation, size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        size = self.size()
        generation = self.generation() if size > 0 else None
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        hit = self.store.get(key, generation)
        if hit is not None:
            await send({"type": "http.response.start", "status": 200, "headers": hit[0]})
            await send({"type": "http.response.body", "body": hit[1]})
            return
        start: Message = {}
        chunks: list[bytes] = []
        complete = False

        async def keep(message: Message) -> None:
            nonlocal complete
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") == 200 and complete:
            self.store.put(key, generation, list(start.get("headers", [])), b"".join(chunks), size)
