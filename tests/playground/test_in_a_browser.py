"""The playground in a real browser (headless Chromium): a member reports a mistake, the leader
finds the tip, asks another suggestion, finds the moment in Home; the stored panel shows no
message text; an injected script shows as text."""

import pytest

from bot.playground.browser import missing, start_browser
from bot.playground.session import Playground
from bot.playground.web import PlaygroundWeb
from bot.slack.server import BackgroundServer

why_not = missing()
pytestmark = pytest.mark.skipif(why_not is not None, reason=f"no browser here: {why_not}")

REPORT = "Sorry allemaal, ik ben vergeten de klant van order 4471 terug te bellen."
TIP = "//div[@id='private']/div[@data-ref][contains(., 'meldt een fout')]"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    playground = Playground(str(tmp_path_factory.mktemp("pg") / "playground.db"))
    server = BackgroundServer(None, wsgi=PlaygroundWeb(playground)).start()
    yield server.base_url + "/"
    server.stop()
    playground.close()


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    driver.quit()


def until(driver, condition, timeout=15):
    """Wait for `condition(driver)`; the page redraws after every step, so an element found a
    moment ago may be gone: look again instead of failing."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def text_of(driver, element_id):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).text


def click(driver, xpath):
    from selenium.webdriver.common.by import By

    until(driver, lambda d: d.find_element(By.XPATH, xpath).click() or True)


def persona(driver, name):
    button = f"//nav[@id='personas']/button[starts-with(., '{name}')]"
    click(driver, button)
    from selenium.webdriver.common.by import By

    until(driver, lambda d: "chosen" in d.find_element(By.XPATH, button).get_attribute("class"))


def say(driver, text):
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def test_a_report_a_tip_another_suggestion_and_the_moment_in_home(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site)
    until(browser, lambda d: "Leerzone" in text_of(d, "channel"))
    persona(browser, "Bram")
    say(browser, REPORT)
    until(browser, lambda d: "order 4471" in text_of(d, "channel"))
    assert "meldt een fout" not in text_of(browser, "private")  # not for Bram's eyes
    persona(browser, "Sanne")
    until(browser, lambda d: "meldt een fout" in text_of(d, "private"))
    before = until(browser, lambda d: d.find_element(By.XPATH, TIP).text)
    click(browser, TIP + "//button[@data-action-id='lz_nudge_other']")
    until(browser, lambda d: d.find_element(By.XPATH, TIP).text != before)
    click(browser, "//button[@id='open-home']")
    until(browser, lambda d: "Momenten om te bedanken" in text_of(d, "home"))
    stored = text_of(browser, "stored")
    assert "order 4471" not in stored and "U0BRAM" not in stored
    assert "Tip aan Sanne" in text_of(browser, "decisions")


def test_an_injected_script_shows_as_text(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site)
    until(browser, lambda d: "Leerzone" in text_of(d, "channel"))
    persona(browser, "Anna")
    say(browser, "<script>window.hacked = 1</script> <img src=x onerror='window.hacked=2'>")
    until(browser, lambda d: "<script>window.hacked = 1</script>" in text_of(d, "channel"))
    assert browser.execute_script("return window.hacked === undefined")
    channel = browser.find_element(By.ID, "channel")
    assert not channel.find_elements(By.TAG_NAME, "script")
    assert not channel.find_elements(By.TAG_NAME, "img")


def test_the_form_round_trip_in_the_browser(site, browser):
    """/fout alone opens the form; an empty submit shows Slack's field error; filled in, the
    entry is stored and only Anna sees the answer."""
    from selenium.webdriver.common.by import By

    browser.get(site)
    until(browser, lambda d: "Leerzone" in text_of(d, "channel"))
    persona(browser, "Anna")
    say(browser, "/fout")
    until(browser, lambda d: d.find_element(By.ID, "modal").is_displayed())
    click(browser, "//div[@id='modal']//button[contains(@class, 'submit')]")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#modal .error"))
    field = until(
        browser, lambda d: d.find_element(By.CSS_SELECTOR, "#modal textarea[data-block-id='what']")
    )
    field.send_keys("Ik heb de planning van volgende week overschreven met die van vorige week.")
    click(browser, "//div[@id='modal']//button[contains(@class, 'submit')]")
    until(browser, lambda d: not d.find_element(By.ID, "modal-back").is_displayed())
    until(browser, lambda d: "planning van volgende week" in text_of(d, "stored"))
    until(browser, lambda d: "Dank je wel" in text_of(d, "private"))
    persona(browser, "Bram")
    assert "planning van volgende week" not in text_of(browser, "private")
