"""Open an mtdetect review report (`mtdetect scan ... --report FILE.html`) in headless Chromium:
load time, console errors, requests for anything outside the file, a screenshot.

    python scripts/review_browser.py report.html                      # load time and errors
    python scripts/review_browser.py report.html --screenshot out.png --width 1280 --height 900
    python scripts/review_browser.py corpora/seeds/ --docs docs/report.png   # the README's screenshot

It talks to Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`), with the
standard library only: no websocket client, no browser download. `tests/test_review_report.py`
uses it for the browser test. Chromium is found as `chromium`, `chromium-browser`,
`google-chrome` or `$CHROMIUM`.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
    "--font-render-hinting=none",
]


def find_chromium() -> Optional[str]:
    env = os.environ.get("CHROMIUM")
    if env and shutil.which(env):
        return shutil.which(env)
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    pass


class Chromium:
    """A headless Chromium driven over the DevTools protocol on fds 3 (commands) and 4 (replies)."""

    def __init__(self, executable: Optional[str] = None, timeout: float = 180.0):
        self.executable = executable or find_chromium()
        if not self.executable:
            raise BrowserError("no Chromium found (install the Debian package 'chromium')")
        self.timeout = timeout  # per command; a machine under heavy load can take a minute to start it
        self._profile = tempfile.mkdtemp(prefix="mtdetect-chromium-")
        cmd_r, cmd_w = os.pipe()  # we write commands, Chromium reads them on fd 3
        out_r, out_w = os.pipe()  # Chromium writes replies on fd 4
        # Move the child's ends above 4 so that dup2 onto 3 and 4 cannot clobber one another.
        child_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(out_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(out_w)

        def wire():  # in the child, before exec: fd 3 and 4 without close-on-exec
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        args = [self.executable, *FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe",
                "about:blank"]
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                     close_fds=False, preexec_fn=wire)
        os.close(child_r)
        os.close(child_w)
        self._w, self._r = cmd_w, out_r
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    # --- protocol ------------------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited: {self.stderr_tail()}")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: Optional[dict] = None, session: Optional[str] = None) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: Optional[str] = None) -> dict:
        deadline = time.monotonic() + self.timeout
        for i, ev in enumerate(self.events):
            if ev.get("method") == method and (session is None or ev.get("sessionId") == session):
                return ev
        while True:
            ev = self._read_message(deadline)
            self.events.append(ev)
            if ev.get("method") == method and (session is None or ev.get("sessionId") == session):
                return ev

    def stderr_tail(self, n: int = 2000) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-n:]

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close")
                except (BrowserError, OSError):
                    pass
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            for fd in (self._w, self._r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._log.close()
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one page --------------------------------------------------------------------------------
    def open(self, path: Path, width: int = 1280, height: int = 900) -> "Tab":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
            self.send(method, session=session)
        # Durations in the main thread's CPU time, not wall time: comparable on a busy machine.
        self.send("Performance.enable", {"timeDomain": "threadTicks"}, session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        start = time.monotonic()
        self.send("Page.navigate", {"url": Path(path).resolve().as_uri()}, session=session)
        self.wait_event("Page.loadEventFired", session)
        # One frame after the load event: the first screen has been laid out and painted.
        self.send("Runtime.evaluate", {"expression": "new Promise(r => requestAnimationFrame(() => r(1)))",
                                       "awaitPromise": True}, session=session)
        return Tab(self, session, time.monotonic() - start)


class Tab:
    def __init__(self, browser: Chromium, session: str, load_s: float):
        self.browser, self.session, self.load_s = browser, session, load_s

    def eval(self, expression: str):
        res = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                     "awaitPromise": True}, session=self.session)
        if "exceptionDetails" in res:
            raise BrowserError(f"{expression[:80]}: {res['exceptionDetails'].get('text')}")
        return res["result"].get("value")

    def wait_rendered(self) -> float:
        """Wait until the report has built every page's blocks; seconds waited."""
        t = time.monotonic()
        self.eval("new Promise(r => { const f = () => document.documentElement.dataset.rendered === 'all'"
                  " ? r(1) : setTimeout(f, 10); f(); })")
        return time.monotonic() - t

    def cpu(self) -> dict:
        """The renderer main thread's CPU seconds so far: all tasks, and parsing+script+layout+style."""
        m = {x["name"]: x["value"] for x in
             self.browser.send("Performance.getMetrics", session=self.session)["metrics"]}
        return {"task_s": round(m.get("TaskDuration", 0), 3), "script_s": round(m.get("ScriptDuration", 0), 3),
                "layout_style_s": round(m.get("LayoutDuration", 0) + m.get("RecalcStyleDuration", 0), 3)}

    def _events(self, method: str) -> list[dict]:
        return [e["params"] for e in self.browser.events
                if e.get("method") == method and e.get("sessionId") == self.session]

    def console_errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, and the browser's own error log
        (failed or blocked loads)."""
        out = []
        for p in self._events("Runtime.consoleAPICalled"):
            if p.get("type") in ("error", "assert", "warning"):
                out.append(f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description", "")))
                                                                for a in p.get("args", [])))
        for p in self._events("Runtime.exceptionThrown"):
            d = p.get("exceptionDetails", {})
            out.append(f"exception: {d.get('text')} {d.get('exception', {}).get('description', '')}")
        for p in self._events("Log.entryAdded"):
            e = p.get("entry", {})
            if e.get("level") in ("error", "warning"):
                out.append(f"log.{e.get('level')}: {e.get('text')} {e.get('url', '')}")
        return out

    def requests(self) -> list[str]:
        """URLs the page asked for (the report itself is the only one expected)."""
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    def screenshot(self, path: Path, clip: Optional[dict] = None, full_page: bool = False) -> None:
        params: dict = {"format": "png"}
        if full_page:
            h = self.eval("document.documentElement.scrollHeight")
            w = self.eval("document.documentElement.scrollWidth")
            clip = {"x": 0, "y": 0, "width": w, "height": h}
        if clip:
            params["clip"] = {**clip, "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.browser.send("Page.captureScreenshot", params, session=self.session)["data"]
        Path(path).write_bytes(base64.b64decode(data))


def measure(report: Path, screenshot: Optional[Path] = None, width: int = 1280, height: int = 900) -> dict:
    with Chromium() as browser:
        tab = browser.open(report, width, height)
        nav = tab.eval("JSON.stringify(performance.getEntriesByType('navigation')[0])")
        nav = json.loads(nav) if nav else {}
        cpu_first = tab.cpu()
        rest = tab.wait_rendered()
        result = {
            "file_bytes": report.stat().st_size,
            "load_s": round(tab.load_s, 3),  # navigation to the first screen painted
            "all_rendered_s": round(tab.load_s + rest, 3),  # ... to every page's blocks built
            "dom_content_loaded_ms": round(nav.get("domContentLoadedEventEnd", 0)),
            "load_event_ms": round(nav.get("loadEventEnd", 0)),
            "script_ready_ms": int(tab.eval("document.documentElement.dataset.ready || -1")),
            "cpu_first_screen": cpu_first,  # main-thread CPU time to the first screen
            "cpu_all_rendered": tab.cpu(),  # ... to every page's blocks built
            "elements": tab.eval("document.getElementsByTagName('*').length"),
            "blocks": tab.eval("document.querySelectorAll('.blk').length"),
            "pages_in_table": tab.eval("document.querySelectorAll('#pages tbody tr').length"),
            "console_errors": tab.console_errors(),
            "external_requests": [u for u in tab.requests() if not u.startswith(("file:", "data:"))],
        }
        if screenshot:
            tab.screenshot(screenshot)
        return result


def docs_screenshot(seeds: Path, out: Path, width: int = 1200) -> None:
    """The README's picture: the seeds' overview, then seed 003's section with the evidence of
    its most MT-like content block open."""
    from mtdetect.review import ReviewReport
    from mtdetect.scan import Scanner

    scanner = Scanner()
    review = ReviewReport(scanner).extend(scanner.scan_paths([seeds]))
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        review.write(html)
        with Chromium() as browser:
            tab = browser.open(html, width, 900)
            tab.wait_rendered()
            errors = tab.console_errors()
            if errors:
                raise BrowserError(f"console errors: {errors}")
            # The overview, then the top of seed 003's section with one block's evidence open.
            tab.eval("""(() => {
              const sec = [...document.querySelectorAll('section.page')].find(s => s.dataset.path.includes('003_'));
              const blks = [...sec.querySelectorAll('.blk.content.why')];
              blks.sort((a, b) => b._why.score - a._why.score);
              blks[0].click();
              for (const s of document.querySelectorAll('section.page')) if (s !== sec) s.hidden = true;
              sec.style.contentVisibility = 'visible';
              return 1; })()""")
            top = tab.eval("document.querySelector('section.page:not([hidden])').getBoundingClientRect().top + scrollY")
            height = tab.eval("""(() => { const sec = document.querySelector('section.page:not([hidden])');
              const b = [...sec.querySelectorAll('.blk')][24] || sec.lastElementChild;
              return b.getBoundingClientRect().bottom + scrollY; })()""")
            tab.screenshot(out, clip={"x": 0, "y": 0, "width": width, "height": int(height) + 4})
            del top


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", type=Path, help="a report .html (or, with --docs, the seeds directory)")
    ap.add_argument("--screenshot", type=Path)
    ap.add_argument("--docs", type=Path, help="write the README screenshot of the pages in REPORT (a directory)")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    args = ap.parse_args(argv)
    if not find_chromium():
        print("review_browser: no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    if args.docs:
        docs_screenshot(args.report, args.docs)
        print(f"wrote {args.docs}")
        return 0
    print(json.dumps(measure(args.report, args.screenshot, args.width, args.height), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
