"""A learner on the course's JupyterHub over HTTP, as their browser would be: log in, start
the server, use nbgrader's Assignment List (fetch, submit, fetch feedback). For the load run
and the tests; a person uses JupyterLab instead."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import requests

COURSE_ID = "ml-for-cx"


class HubClientError(Exception):
    """A step a learner could not take; the message says which and what the hub answered."""


@dataclass
class Learner:
    hub_url: str  # e.g. http://127.0.0.1:8000/
    name: str
    password: str
    course_id: str = COURSE_ID
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def server(self) -> str:
        return f"{self.hub_url}user/{quote(self.name)}/"

    def _check(self, answer: requests.Response, what: str) -> requests.Response:
        if answer.status_code >= 400:
            raise HubClientError(f"{self.name}: {what}: HTTP {answer.status_code} "
                                 f"{answer.text[:300]}")
        return answer

    def log_in(self) -> None:
        page = self._check(self.session.get(f"{self.hub_url}hub/login", timeout=60), "login page")
        token = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        data = {"username": self.name, "password": self.password}
        if token:
            data["_xsrf"] = token.group(1)
        answer = self.session.post(f"{self.hub_url}hub/login", data=data, timeout=120,
                                   allow_redirects=False)
        if answer.status_code != 302 or "jupyterhub-session-id" not in self.session.cookies:
            raise HubClientError(f"{self.name}: the hub refused the login "
                                 f"(HTTP {answer.status_code})")

    def start_server(self, timeout: float = 600) -> float:
        """Start this learner's server and open it (the hub's OAuth included); seconds taken."""
        started = time.monotonic()
        headers = self._hub_xsrf()
        answer = self.session.post(f"{self.hub_url}hub/api/users/{quote(self.name)}/server",
                                   headers=headers, timeout=120)
        if answer.status_code not in (201, 202, 400):  # 400: already running
            self._check(answer, "start the server")
        while time.monotonic() - started < timeout:
            state = self.session.get(f"{self.hub_url}hub/api/users/{quote(self.name)}",
                                     headers=headers, timeout=60)
            self._check(state, "server state")
            server = state.json().get("servers", {}).get("", {})
            if server.get("ready"):
                break
            if not server:
                raise HubClientError(f"{self.name}: the server stopped while starting")
            time.sleep(1)
        else:
            raise HubClientError(f"{self.name}: the server was not ready after {timeout:.0f} s")
        self._check(self.session.get(f"{self.server}lab", timeout=120), "open JupyterLab")
        return time.monotonic() - started

    def _hub_xsrf(self) -> dict[str, str]:
        token = self.session.cookies.get("_xsrf", path="/hub/")
        return {"X-XSRFToken": token} if token else {}

    def _server_xsrf(self) -> dict[str, str]:
        token = None
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf" and cookie.path.startswith(f"/user/{self.name}"):
                token = cookie.value
        return {"X-XSRFToken": token} if token else {}

    def assignments(self) -> list[dict]:
        answer = self._check(self.session.get(f"{self.server}assignments",
                                              params={"course_id": self.course_id},
                                              timeout=120), "list assignments")
        return _value(answer, f"{self.name}: list assignments")

    def act(self, action: str, assignment: str) -> list[dict]:
        """`fetch`, `submit` or `fetch_feedback`, as the Assignment List's buttons do."""
        answer = self.session.post(f"{self.server}assignments/{action}",
                                   data={"course_id": self.course_id,
                                         "assignment_id": assignment},
                                   headers=self._server_xsrf(), timeout=300)
        return _value(self._check(answer, action), f"{self.name}: {action} {assignment}")

    def read_notebook(self, path: str) -> dict:
        """A notebook of the learner's server (nbformat JSON), as JupyterLab opens it."""
        url = f"{self.server}api/contents/{quote(path)}"
        return self._check(self.session.get(url, timeout=120), f"open {path}").json()["content"]

    def save_notebook(self, path: str, content: dict) -> None:
        """Save a notebook into the learner's server, as JupyterLab's save does."""
        body = json.dumps({"type": "notebook", "format": "json", "content": content})
        answer = self.session.put(f"{self.server}api/contents/{quote(path)}", data=body,
                                  headers=self._server_xsrf(), timeout=120)
        self._check(answer, f"save {path}")

    def notebooks(self, folder: str) -> list[str]:
        url = f"{self.server}api/contents/{quote(folder)}"
        listing = self._check(self.session.get(url, timeout=120), f"list {folder}").json()
        return sorted(item["path"] for item in listing["content"] if item["type"] == "notebook")

    def stop_server(self) -> None:
        self.session.delete(f"{self.hub_url}hub/api/users/{quote(self.name)}/server",
                            headers=self._hub_xsrf(), timeout=120)


def _value(answer: requests.Response, what: str) -> list[dict]:
    try:
        data = answer.json()
    except ValueError:
        raise HubClientError(f"{what}: not JSON: {answer.text[:300]}") from None
    if not data.get("success"):
        raise HubClientError(f"{what}: {str(data.get('value'))[:500]}")
    return data["value"]
