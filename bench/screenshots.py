"""Screenshots of the playground's main screens, for reviewers who don't run it.

Plays the playground's demo in headless Chromium and saves a PNG after the steps that matter:
the start, the leader's private tip, her Home tab, the consent to look back together, the
team's lesson in the thread, the stored panel after forget-me, and the page in English.
Run: .venv/bin/python -m bench.screenshots [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bot.playground.browser import missing, start_browser  # noqa: E402
from bot.playground.session import Playground  # noqa: E402
from bot.playground.web import PlaygroundWeb  # noqa: E402
from bot.slack.server import BackgroundServer  # noqa: E402

SHOTS = {  # after how many demo steps, and the file name
    0: "1-start-anna",
    3: "2-tip-for-sanne",
    5: "3-home-sanne",
    8: "4-looking-back-together",
    12: "5-the-teams-lesson",
    14: "6-stored-after-forget-me",
}


def wait_quiet(driver) -> None:  # type: ignore[no-untyped-def]
    """Until the page has finished its step and redrawn."""
    for _ in range(100):
        if not driver.execute_script("return document.body.classList.contains('busy')"):
            break
        time.sleep(0.05)
    time.sleep(0.4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    if reason := missing():
        print(f"no browser here: {reason}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        playground = Playground(str(Path(tmp) / "playground.db"))
        server = BackgroundServer(None, wsgi=PlaygroundWeb(playground)).start()
        url = server.base_url + "/"
        driver = start_browser()
        try:
            driver.get(url)
            wait_quiet(driver)
            steps = 0
            while True:
                if steps in SHOTS:
                    driver.save_screenshot(str(out / f"{SHOTS[steps]}.png"))
                button = driver.find_element("id", "demo")
                if not button.is_enabled():
                    break
                button.click()
                steps += 1
                wait_quiet(driver)
            driver.find_element("id", "lang").click()
            wait_quiet(driver)
            driver.find_element(
                "xpath", "//nav[@id='personas']/button[starts-with(., 'Sanne')]"
            ).click()
            wait_quiet(driver)
            driver.save_screenshot(str(out / "7-english-sanne.png"))
        finally:
            driver.quit()
            server.stop()
            playground.close()
    print(f"screenshots in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
