"""The live island page in a real (headless) browser, offline (issue 13): step, a triggered
cyclone, a lever change, the fork "what if", sessions apart; speed and capacity measured into
tests/artifacts/live-timings.txt; screenshots looked at."""

from __future__ import annotations

import re
import time

from browser.conftest import ARTIFACTS, Server, shot

HEADING = "Live island: watch a setting month by month"
MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def open_live(open_page) -> object:
    page = open_page("/live")
    page.get_by_text(HEADING).wait_for(timeout=60_000)
    page.locator(".hs-map img, img.hs-map, .hs-map").first.wait_for()
    return page


def month_text(page) -> str:
    return page.locator(".hs-month").first.inner_text().strip()


def month_number(label: str) -> int:
    """Months since January 2000 of "March 2031" (-1 for the start)."""
    m = re.search(r"(\w+) (\d{4})", label)
    if not m or label.startswith("Start"):
        return -1
    return int(m.group(2)) * 12 + MONTHS.index(m.group(1))


def wait_month_change(page, old: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = month_text(page)
        if now != old:
            return now
        time.sleep(0.1)
    raise AssertionError(f"month stayed {old}")


def step(page) -> str:
    old = month_text(page)
    page.get_by_role("button", name="Step", exact=True).click()
    return wait_month_change(page, old)


def pick_select(page, label: str, option: str) -> None:
    field = page.locator(".v-select", has=page.get_by_text(label, exact=True)).first
    field.locator(".v-select__slot").click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def log_lines(page) -> list[str]:
    return [t.strip() for t in page.locator(".hs-log li").all_inner_texts()]


def table(page, cls: str) -> list[list[str]]:
    return page.locator(f".{cls} table").first.evaluate(
        "t => Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()))"
    )


def note(text: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "live-timings.txt", "a") as fh:
        fh.write(text + "\n")


def test_step_advances_the_month(open_page) -> None:
    page = open_live(open_page)
    assert month_text(page).startswith("Start")
    first = step(page)
    second = step(page)
    assert month_number(second) == month_number(first) + 1
    page.locator(".hs-map").first.wait_for()
    shot(page, "live-start")


def test_a_cyclone_displaces_households_on_the_chosen_island(open_page) -> None:
    page = open_live(open_page)
    step(page)
    pick_select(page, "Island", "Nui")
    slider = page.get_by_role("slider").nth(1)  # speed, then category
    slider.focus()
    page.keyboard.press("End")
    page.get_by_text("Category: 5").wait_for()
    page.get_by_role("button", name="Trigger cyclone").click()
    page.get_by_text("Cyclone on Nui").wait_for()
    month = step(page)
    line = next(x for x in log_lines(page) if "hits Nui" in x)
    assert line.startswith(month), line
    displaced = int(re.search(r"(\d+) households displaced", line).group(1))
    assert displaced > 0, line
    shot(page, "live-cyclone")


def test_an_evacuation_order_is_triggered_from_the_page(open_page) -> None:
    """The other event kinds the model supports are on the page too: an evacuation order for
    Nui takes its households to the capital next month, in the log."""
    page = open_live(open_page)
    step(page)
    pick_select(page, "Island", "Nui")
    page.get_by_role("button", name="Trigger evacuation order").click()
    page.get_by_text("Evacuation order on Nui").wait_for()
    month = step(page)
    line = next(x for x in log_lines(page) if "evacuation order for Nui" in x)
    assert line.startswith(month), line
    shot(page, "live-evacuation")


def test_a_lever_change_alters_next_months_options(open_page) -> None:
    page = open_live(open_page)
    step(page)
    before = table(page, "hs-options")
    col = before[0].index("places a year")
    kind = before[0].index("kind")
    ballots = [r for r in before[1:] if r[kind] == "ballot"]
    assert ballots
    page.get_by_role("button", name="Apply lever").click()
    page.get_by_text("levers changed", exact=False).first.wait_for()
    after = table(page, "hs-options")
    new = [r for r in after[1:] if r[kind] == "ballot"]
    for old_row, new_row in zip(ballots, new, strict=True):
        assert float(new_row[col]) == 3 * float(old_row[col])
    assert "quota_multiplier = 3" in log_lines(page)[0]
    shot(page, "live-lever")


def test_the_fork_starts_identical_and_diverges_after(open_page) -> None:
    page = open_live(open_page)
    for _ in range(3):
        step(page)
    page.get_by_role("button", name="Fork what if").click()
    page.locator(".hs-branch").nth(1).wait_for()
    assert page.locator(".hs-branch").count() == 2
    rows = table(page, "hs-diff")
    assert all(r[-1] == "0" for r in rows[1:]), rows  # identical at the fork
    pick_select(page, "Island", "Funafuti")
    page.get_by_role("button", name="Trigger cyclone").click()
    for _ in range(6):
        step(page)
    rows = table(page, "hs-diff")
    assert any(r[-1] != "0" for r in rows[1:]), rows
    shot(page, "live-fork")


def test_two_browser_sessions_do_not_share_a_model(open_page) -> None:
    a = open_live(open_page)
    b = open_live(open_page)
    step(a)
    step(a)
    time.sleep(1)
    assert month_text(b).startswith("Start")
    step(b)
    assert month_number(month_text(a)) == month_number(month_text(b)) + 1


def play_for(page, seconds: float) -> float:
    """Months per second seen in the page while playing (speed at its top)."""
    slider = page.get_by_role("slider").first
    slider.focus()
    page.keyboard.press("End")
    start = month_number(month_text(page))
    assert start >= 0, month_text(page)
    page.get_by_role("button", name="Play").click()
    t0 = time.perf_counter()
    time.sleep(seconds)
    end = month_number(month_text(page))
    elapsed = time.perf_counter() - t0
    page.get_by_role("button", name="Pause").click()
    return (end - start) / elapsed


def test_play_speed_tuvalu_and_fiji(open_page, server: Server) -> None:
    page = open_live(open_page)
    step(page)
    rate = play_for(page, 10)
    note(f"browser, tuvalu full resolution playing: {rate:.1f} months/s")
    shot(page, "live-playing")
    assert rate >= 1
    pick_select(page, "Setting", "fiji")
    page.get_by_role("button", name="Reset", exact=True).click()
    page.get_by_text("fiji: status-quo").wait_for(timeout=120_000)
    page.locator(".hs-month", has_text="Start").wait_for()
    step(page)
    rss = server.rss_mb()
    rate = play_for(page, 15)
    note(
        f"browser, fiji (scale 20) playing: {rate:.2f} months/s; "
        f"server RSS {rss:.0f} MB with it, {server.rss_mb():.0f} MB after 15 s of play"
    )
    shot(page, "live-fiji")


def test_ten_sessions_at_once(open_page, server: Server) -> None:
    base = server.rss_mb()
    pages = [open_live(open_page) for _ in range(10)]
    opened = server.rss_mb()
    note(
        f"server RSS {base:.0f} MB before, {opened:.0f} MB with 10 more live sessions: "
        f"{(opened - base) / 10:.1f} MB per session"
    )
    starts = []
    for p in pages:
        step(p)
        slider = p.get_by_role("slider").first
        slider.focus()
        p.keyboard.press("End")
        starts.append(month_number(month_text(p)))
    for p in pages:
        p.get_by_role("button", name="Play").click()
    t0 = time.perf_counter()
    time.sleep(20)
    ends = [month_number(month_text(p)) for p in pages]
    elapsed = time.perf_counter() - t0
    for p in pages:
        p.get_by_role("button", name="Pause").click()
    months = [e - s for s, e in zip(starts, ends, strict=True)]
    per_step = [elapsed / m if m > 0 else float("inf") for m in months]
    note(
        "10 sessions playing tuvalu at once for 20 s: months each "
        + ", ".join(map(str, months))
        + f"; time per step each sees {min(per_step):.2f}-{max(per_step):.2f} s; "
        f"server RSS {server.rss_mb():.0f} MB"
    )
    shot(pages[-1], "live-ten-sessions")
    assert all(m > 0 for m in months)


def test_workshop_mode_with_a_preset_scenario(open_page) -> None:
    page = open_live(open_page)
    page.get_by_text("Workshop mode (large type)").click()
    page.locator(".hs-workshop").first.wait_for()
    pick_select(page, "Preset scenario", "tuvalu-2025")
    page.get_by_role("button", name="Reset", exact=True).click()
    step(page)
    size = page.locator(".hs-month").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 40
    shot(page, "live-workshop")
