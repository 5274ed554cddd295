"""The learner's side of the referee: runs in the learner's (sandboxed) kernel at grading time.

For each cell it judges, the referee starts one `serve_loop()`, which reads each request
through the kernel's stdin channel (`input()`), so large arguments are never compiled as code,
looks up or calls the learner's objects, and sends the answer back as plain data
(`course.grading.wire`) as the prompt of its next `input()`. Objects that are not data stay
here and cross as handles. A call that needs one of the referee's objects (a model a test
passes in, a spy function) asks the referee through `input()` too, and gets plain data back.

Nothing here is trusted: learner code can replace this module. The referee only ever reads
what comes back as data, so a replaced module can make answers fail, never pass.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

from course.grading import wire

READY = "course-referee:ready"
DONE = "course-referee:done"

_handles: dict[int, Any] = {}
_ids: dict[int, int] = {}


def _handle_of(value: Any) -> dict:
    key = id(value)
    if key not in _ids:
        number = len(_handles) + 1
        _handles[number] = value
        _ids[key] = number
    cls = type(value)
    names = [f"{c.__module__}.{c.__qualname__}" for c in cls.__mro__][:16]
    return {"~": "handle", "owner": "answer", "id": _ids[key], "mro": names,
            "callable": callable(value), "name": str(getattr(value, "__name__", ""))[:80]}


class RefereeObject:
    """An object of the referee's (a model or function a test passes in), used from here."""

    def __init__(self, node: dict) -> None:
        object.__setattr__(self, "_node", node)

    @property
    def __wire_handle__(self) -> dict:
        return self._node

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _ask({"op": "getattr", "id": self._node["id"], "name": name})

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _ask({"op": "call", "id": self._node["id"], "args": args, "kwargs": kwargs})

    def __repr__(self) -> str:
        return f"<the grader's {self._node.get('mro', ['object'])[0]}>"


def _resolve(node: dict) -> Any:
    if node.get("owner") == "answer":
        try:
            return _handles[node["id"]]
        except KeyError:
            raise wire.WireError("unknown handle") from None
    return RefereeObject(node)


_encode = wire.Encoder(handle_of=_handle_of)
_decode = wire.Decoder(handle=_resolve, trusted=True)


def _ask(request: dict) -> Any:
    """Ask the referee for something of its own (through stdin) and decode its answer."""
    text = json.dumps({"callback": True, "op": request["op"], "id": request["id"],
                       "name": request.get("name"),
                       "args": _encode(list(request.get("args", ()))),
                       "kwargs": _encode(dict(request.get("kwargs", {})))},
                      allow_nan=True, separators=(",", ":"))
    reply = json.loads(input(text))
    if reply.get("ok"):
        return _decode.value(reply["value"])
    raise wire.rebuild_error(reply.get("error", {}))


def _describe(names: list[str]) -> dict:
    namespace = _namespace()
    found = {}
    for name in names:
        if name not in namespace:
            found[name] = {"~": "missing"}
            continue
        try:
            found[name] = _encode(namespace[name])
        except Exception as error:  # noqa: BLE001 - reported to the referee as such
            found[name] = {"~": "unsendable", "why": f"{type(error).__name__}: {error}"[:300]}
    return {"names": found, "signs": signs()}


def _namespace() -> dict:
    main = sys.modules.get("__main__")
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            return shell.user_ns
    except ImportError:
        pass
    return vars(main) if main is not None else {}


def _perform(request: dict) -> Any:
    op = request.get("op")
    if op == "describe":
        return _describe([str(n) for n in request.get("names", [])])
    target = _resolve({"owner": "answer", "id": request.get("id")})
    if op == "call":
        args = _decode.value(request.get("args", []))
        kwargs = _decode.value(request.get("kwargs", {"~": "dict", "k": [], "v": []}))
        before = _states(args, kwargs)
        value = target(*args, **kwargs)
        _AFTER.extend(_changes(before, args, kwargs))
        return value
    if op == "getattr":
        return getattr(target, str(request.get("name")))
    if op == "len":
        return len(target)
    if op == "getitem":
        return target[_decode.value(request.get("key"))]
    if op == "iter":
        return list(target)
    if op == "repr":
        return repr(target)[:2000]
    raise ValueError(f"unknown request {op!r}")


def answer(text: str) -> str:
    """The answer to one request of the referee, as JSON text."""
    try:
        request = json.loads(text)
    except ValueError:
        request = {}
    nonce = request.get("nonce") if isinstance(request, dict) else None
    _AFTER.clear()
    try:
        value = _perform(request)
        try:
            body = {"ok": True, "value": _encode(value), "after": list(_AFTER)}
        except wire.WireError as error:
            body = {"ok": False, "unsendable": str(error)}
    except BaseException as error:  # noqa: BLE001 - the learner's code failed: that is data
        node = wire.error_node(error)
        node["traceback"] = "".join(traceback.format_exception(error))[-3000:]
        body = {"ok": False, "error": node}
    body["nonce"] = nonce
    return json.dumps(body, allow_nan=True, separators=(",", ":"))


_AFTER: list[dict] = []


def _states(args: list, kwargs: dict) -> dict:
    """Before a call: what of its arguments the referee's originals must learn afterwards."""
    import pandas as pd

    states = {}
    for where, value in [*enumerate(args), *kwargs.items()]:
        if type(value).__name__ == "FashionSite":
            states[where] = ("site", value.oracle_calls, len(value._sent))
        elif type(value) is pd.DataFrame:
            states[where] = ("frame", value.copy(), None)
    return states


def _changes(before: dict, args: list, kwargs: dict) -> list[dict]:
    """After a call: a shop's new oracle calls and mails, a table edited in place."""
    found = []
    for where, (kind, then, sent) in before.items():
        value = args[where] if type(where) is int else kwargs[where]
        if kind == "site" and (value.oracle_calls != then or len(value._sent) != sent):
            found.append({"arg": where, "kind": "site", "oracle_calls": value.oracle_calls,
                          "sent": _encode(list(value._sent[sent:]))})
        elif kind == "frame" and not (value.equals(then) and value.columns.equals(then.columns)
                                      and value.index.equals(then.index)):
            found.append({"arg": where, "kind": "frame", "frame": _encode(value)})
    return found


def serve_loop() -> None:
    """Answer the referee's requests until it is done with this cell: each answer goes back
    as the prompt of the next `input()`, so a call costs two messages, not a cell execution."""
    prompt = READY
    while True:
        text = input(prompt)
        if text == DONE:
            return
        prompt = answer(text)


# ------------------------------------------------------------------------------ signs

WATCHED_MODULES = ("builtins", "numpy", "pandas", "sklearn.metrics", "course.world",
                   "course.feedback", "course.features", "course.metrics", "course.money")
WATCHED_CLASSES = ("pandas.DataFrame", "pandas.Series", "pandas.Index")


def fingerprint(value: Any) -> str:
    """Where a module attribute comes from: module and name, and the code's file and line."""
    code = getattr(value, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code is not None else ""
    return (f"{type(value).__name__}:{getattr(value, '__module__', '')}."
            f"{getattr(value, '__qualname__', '')}:{where}")


def module_fingerprints(modules: dict) -> dict[str, dict[str, str]]:
    """Fingerprints of the watched modules' and classes' attributes, in `modules`."""
    found: dict[str, dict[str, str]] = {}
    for name in WATCHED_MODULES:
        module = modules.get(name)
        if module is None:
            continue
        found[name] = {attr: fingerprint(value) for attr, value in list(vars(module).items())
                       if callable(value) and not attr.startswith("_")}
    for name in WATCHED_CLASSES:
        module_name, _, cls_name = name.rpartition(".")
        module = modules.get(module_name)
        cls = getattr(module, cls_name, None) if module is not None else None
        if isinstance(cls, type):
            found[name] = {attr: fingerprint(value) for attr, value in vars(cls).items()
                           if callable(value)}
    return found


def signs() -> dict:
    """What this kernel says about itself: transformers, hooks, tracing, patched modules."""
    report: dict[str, Any] = {}
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        report["input_transformers"] = [fingerprint(t) for t in
                                        shell.input_transformers_cleanup
                                        + shell.input_transformers_post]
        report["ast_transformers"] = [fingerprint(t) for t in shell.ast_transformers]
        report["hooks"] = {event: [fingerprint(f) for f in callbacks]
                           for event, callbacks in shell.events.callbacks.items()}
        report["patched_shell"] = sorted(name for name in ("run_cell", "run_cell_async",
                                                          "run_ast_nodes", "run_code",
                                                          "showtraceback", "_showtraceback")
                                         if name in vars(shell))
        kernel = getattr(shell, "kernel", None)
        if kernel is not None:
            handlers = getattr(kernel, "shell_handlers", {})
            handler = handlers.get("execute_request")
            report["execute_handler"] = fingerprint(getattr(handler, "__func__", handler))
            report["patched_kernel"] = sorted(n for n in ("do_execute", "execute_request")
                                              if n in vars(kernel))
        report["displayhook"] = fingerprint(type(sys.displayhook))
    report["trace"] = sys.gettrace() is not None
    report["profile"] = sys.getprofile() is not None
    report["modules"] = module_fingerprints(sys.modules)
    report["module_files"] = {name: str(getattr(sys.modules.get(name), "__file__", ""))
                              for name in WATCHED_MODULES if name in sys.modules}
    return report
