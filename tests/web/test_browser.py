"""The page in a real browser (Debian's headless Chromium through Selenium) against ``acumat
run --web`` with the simulated relax session: it sees the posture change to lying and the timer
run, a program button does what it says, the token is asked for and a wrong one refused, beside
a real mosquitto it shows the broker and what Home Assistant last said of itself, and it leaves
phone and desktop screenshots (tests/web/browser.py says where).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from controller.service.paths import StatePaths
from controller.storage.history import History
from firmware.clock import SystemClock
from tests.history.helpers import row
from tests.mqtt.broker import Broker, Recorder
from tests.web.browser import DESKTOP, PHONE, chromium, screenshot
from tests.web.process import WebMat

assert subprocess  # the slow lane: this module starts processes
TOKEN = "browser-token-0123456789"


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    d = chromium()
    yield d
    d.quit()


def text(driver: WebDriver, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def wait(driver: WebDriver, condition: object, timeout_s: float = 40.0) -> None:
    WebDriverWait(driver, timeout_s, poll_frequency=0.1).until(condition)  # type: ignore[arg-type]


def seed_history(state_dir: Path) -> set[int]:
    """Sessions on 12 of the last 30 days, the last 6 of them in a row up to yesterday."""
    now_s = SystemClock().wall()
    days_ago = {1, 2, 3, 4, 5, 6, 9, 11, 15, 16, 22, 27}
    history = History(StatePaths.for_source(state_dir, simulated=True).history)
    for n, d in enumerate(sorted(days_ago)):
        start_s = now_s - d * 86_400.0
        history.add(row(start_s, minutes=8.0 + (n * 7) % 15, program=("relax", "energy")[n % 2]))
    history.close()
    return days_ago


def test_the_page_follows_the_session_and_takes_a_program(
    driver: WebDriver, tmp_path: Path
) -> None:
    mat = WebMat(tmp_path / "mat", speed=10)
    seeded = seed_history(mat.state_dir)
    mat.start()
    try:
        driver.set_window_size(*DESKTOP)
        driver.get(f"http://127.0.0.1:{mat.port}/")
        wait(driver, lambda d: text(d, "link") == "live")
        wait(driver, lambda d: text(d, "posture").lower() == "lying")
        first = text(driver, "timer")
        wait(driver, lambda d: text(d, "timer") not in (first, "0:00"))
        assert "of 20:00" in text(driver, "target")
        driver.find_element(By.ID, "program-energy").click()
        wait(driver, lambda d: d.find_element(By.ID, "result").get_attribute("data-status") == "ok")
        assert "select program: done" in text(driver, "result")
        # A running session keeps its program; the selection is for the next one.
        driver.find_element(By.ID, "btn-pause").click()
        wait(driver, lambda d: "paused" in text(d, "session-state"))
        assert driver.find_element(By.ID, "btn-resume").is_displayed()
        driver.find_element(By.ID, "btn-resume").click()
        wait(driver, lambda d: "running" in text(d, "session-state"))
        assert text(driver, "faults") == "all zones OK"
        assert "simulated" in text(driver, "calibration")
        assert text(driver, "mqtt") == "not configured"
        wait(driver, lambda d: text(d, "bpm") != "–")  # breathing shows once measured
        assert text(driver, "streak") == "6" and text(driver, "total") == str(len(seeded))
        bars = driver.find_elements(By.CSS_SELECTOR, "#chart rect.bar:not(.none)")
        assert len(bars) == len(seeded)
        for name, size in (("web-desktop.png", DESKTOP), ("web-phone.png", PHONE)):
            path, width = screenshot(driver, name, size)
            assert path.stat().st_size > 10_000
            assert width <= size[0], f"the page scrolls sideways at {size}"
        logs: list[dict[str, str]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
        errors = [e for e in logs if e["level"] == "SEVERE"]
        assert errors == []
    finally:
        mat.stop()


def test_with_a_token_the_page_asks_for_it_and_refuses_a_wrong_one(
    driver: WebDriver, tmp_path: Path
) -> None:
    mat = WebMat(tmp_path / "locked", speed=10, token=TOKEN).start()
    try:
        driver.get(f"http://127.0.0.1:{mat.port}/")
        driver.execute_script("localStorage.clear()")
        driver.refresh()
        wait(driver, lambda d: d.find_element(By.ID, "token-form").is_displayed())
        assert not driver.find_element(By.ID, "main").is_displayed()
        assert TOKEN not in str(driver.page_source)
        field = driver.find_element(By.ID, "token-input")
        field.send_keys("wrong-token-0123456789")
        field.submit()
        wait(driver, lambda d: "refused" in text(d, "token-why"))
        field = driver.find_element(By.ID, "token-input")
        field.send_keys(TOKEN)
        field.submit()
        wait(driver, lambda d: text(d, "link") == "live")
        wait(driver, lambda d: text(d, "posture") not in ("", "–"))
    finally:
        driver.execute_script("localStorage.clear()")
        mat.stop()


def test_the_uneven_load_alert_says_which_way_to_move(driver: WebDriver, tmp_path: Path) -> None:
    mat = WebMat(tmp_path / "shift", scenario="shift_left", speed=20).start()
    try:
        driver.get(f"http://127.0.0.1:{mat.port}/")
        wait(driver, lambda d: d.find_element(By.ID, "uneven").is_displayed())
        assert "more weight on your left side" in text(driver, "uneven").lower()
        assert "shift a little to your right" in text(driver, "uneven").lower()
        arrow = driver.find_element(By.CSS_SELECTOR, "#mat path.arrow")
        assert arrow.get_attribute("visibility") == "visible"
        screenshot(driver, "web-uneven-phone.png", PHONE)
        wait(driver, lambda d: not d.find_element(By.ID, "uneven").is_displayed())
    finally:
        mat.stop()


def test_beside_mqtt_the_page_shows_the_broker_and_what_home_assistant_said(
    driver: WebDriver, tmp_path: Path
) -> None:
    broker = Broker(tmp_path / "broker").start()
    recorder = Recorder(broker.port, ["acumat/#"])
    config = tmp_path / "acumat.toml"
    config.write_text(f'[mqtt]\nhost = "127.0.0.1"\nport = {broker.port}\n')
    mat = WebMat(tmp_path / "mqtt", speed=20, extra=["--config", str(config)]).start()
    try:
        driver.get(f"http://127.0.0.1:{mat.port}/")
        wait(driver, lambda d: text(d, "mqtt").startswith(f"connected (127.0.0.1:{broker.port})"))
        assert text(driver, "ha") == "not seen"  # HA has said nothing since the mat connected
        recorder.publish("homeassistant/status", "online")  # HA starts: the page polls at 10 s
        wait(driver, lambda d: text(d, "ha") == "online")
        # acumat run shares its event numbering: the page's events are MQTT's, text for text.
        stream = mat.client().events(last_event_id="another-run:0")
        try:
            event = stream.until(lambda m: m.event == "event")
        finally:
            stream.close()
        got = recorder.wait_for(lambda ms: any(m.payload == event.data.encode() for m in ms))
        assert {m.topic for m in got if m.payload == event.data.encode()} == {"acumat/mat1/event"}
        recorder.publish("homeassistant/status", "offline")
        wait(driver, lambda d: text(d, "ha") == "offline")
    finally:
        mat.stop()
        recorder.close()
        broker.stop()
