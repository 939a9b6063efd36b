"""The web pages in a real browser: Debian's chromium driven by Playwright against the app served by uvicorn on a
loopback port over a temporary index of the bundled corpus. Each test saves a screenshot to var/screenshots/."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from corpus.model import Document
from search_api.web.render import fmt_number, mention_title

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
METRIC = "drug.communes_drug_free_pct"  # the synthetic plans and reports of tests/conftest.py

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                 reason=f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator:
    """A fresh page; its screenshot is saved under the test's name when the test ends (passed or not)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def seed_document(corpus_docs: list[Document], stem: str = "003_a45e00e017cd33f4") -> Document:
    return next(d for d in corpus_docs if Path(d.source).stem == stem)


def test_search_and_open_a_result(page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.fill("input[name=q]", "ma tuy")
    page.click("form.searchbox button[type=submit]")
    page.wait_for_selector("ol.hits li.hit")
    assert "q=ma+tuy" in page.url
    # the matched words are highlighted in the passage (found without diacritics)
    marks = page.locator("li.hit .passage mark").all_inner_texts()
    assert marks and all(m.lower() in ("ma", "túy", "tuý", "tuy") for m in marks)
    # facets carry counts; choosing a province narrows the results and keeps the query
    total_before = int(page.locator("p.total").inner_text().split()[0].replace(".", ""))
    facet = page.locator("details[data-facet=province] li a").first
    name = facet.inner_text()
    facet.click()
    page.wait_for_selector("p.active-filters")
    assert "province=" in page.url and "q=ma+tuy" in page.url
    total_after = int(page.locator("p.total").inner_text().split()[0].replace(".", ""))
    assert 0 < total_after <= total_before
    assert name in page.locator("p.active-filters").inner_text()
    first = page.locator("a.hit-link").first
    heading = first.inner_text().strip()
    first.click()
    page.wait_for_selector("article.document")
    assert "/documents/sha256-" in page.url
    assert page.locator("h1").inner_text().strip() == heading or heading in page.locator("article").inner_text()
    assert page.locator("table.props th").all_inner_texts()[:6] == [
        "Số hiệu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành", "Người ký", "Lĩnh vực"]


def test_search_reading_and_upload_work_without_javascript(browser, live_server: str, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 800})
    pg = context.new_page()
    pg.goto(live_server + "/?q=" + quote("phòng chống ma túy"))
    pg.locator("li.hit:not([data-mentions='0']) a.hit-link").first.click()
    pg.wait_for_selector("div.doctext")
    assert pg.locator("div.doctext span.m").count() > 0
    # the upload form posts without JavaScript too, and the server redirects to the new document
    path = tmp_path / "bao-cao-khong-js.txt"
    path.write_text(f"BÁO CÁO\nKết quả phòng, chống ma túy {uuid.uuid4().hex[:8]}: bắt 12 vụ, 20 đối tượng.\n",
                    encoding="utf-8")
    pg.goto(live_server + "/upload")
    pg.set_input_files("input[type=file]", str(path))
    pg.click("#upload-form button[type=submit]")
    pg.wait_for_url("**/documents/sha256-*")
    assert pg.locator("td.source").inner_text() == path.name
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "test_search_reading_and_upload_work_without_javascript.png"), full_page=True)
    context.close()


def test_a_number_of_a_seed_document_is_highlighted_with_its_normalized_value(
        page, live_server: str, corpus_docs: list[Document]) -> None:
    doc = seed_document(corpus_docs)
    api = httpx.get(f"{live_server}/api/documents/{doc.id}", timeout=30).json()
    quantities = [m for m in api["mentions"] if m["kind"] == "quantity"]
    assert quantities, "a report full of figures (see its gold file) must yield quantity mentions"
    page.goto(f"{live_server}/documents/{doc.id}")
    page.wait_for_selector("div.doctext")
    checked = 0
    for m in quantities[:10]:
        el = page.locator(f"div.doctext span.m-quantity[data-start='{m['start']}'][data-end='{m['end']}']")
        if el.count() == 0:  # only a span crossing another mention is left unmarked (and counted on the page)
            continue
        assert el.inner_text() == m["text"]
        assert json.loads(el.get_attribute("data-normalized")) == m["normalized"]
        title = el.get_attribute("title")
        assert title == mention_title("quantity", m["normalized"])
        if m["normalized"]["value"] is not None:
            assert fmt_number(m["normalized"]["value"]) in title
        checked += 1
    assert checked >= 1
    # a tap (focus) shows the value without JavaScript tooltips: the ::after box carries the title
    el = page.locator("div.doctext span.m-quantity").first
    el.scroll_into_view_if_needed()
    el.focus()
    shown = el.evaluate("e => getComputedStyle(e, '::after').content")
    assert el.get_attribute("title") in shown
    # every kind found in the document is highlighted, each mention once unless it crosses another
    rendered = page.locator("div.doctext span.m").count()
    dropped_note = page.locator("section#text p.muted")
    dropped = int(dropped_note.inner_text().split()[0]) if dropped_note.count() else 0
    assert rendered + dropped == len(api["mentions"])
    for kind in {m["kind"] for m in api["mentions"]}:
        assert page.locator(f"div.doctext span.m-{kind}").count() > 0, kind


def test_document_page_links_cited_and_citing_documents(page, live_server: str, all_docs: list[Document]) -> None:
    # the synthetic report 15/BC-UBND of tests/conftest.py cites the synthetic plan 99/KH-UBND
    report_id = next(d.id for d in all_docs if d.metadata.number == "15/BC-UBND")
    plan_id = next(d.id for d in all_docs if d.metadata.number == "99/KH-UBND")
    page.goto(f"{live_server}/documents/{report_id}")
    link = page.locator("a.cited-doc").first
    assert link.get_attribute("href") == f"/documents/{plan_id}"
    link.click()
    page.wait_for_selector("article.document")
    assert page.locator("td[data-prop=number]").inner_text() == "99/KH-UBND"
    assert page.locator(f"a.citing-doc[href='/documents/{report_id}']").count() == 1
    # the indicators table links each figure to its place in the text
    row_link = page.locator("table.figures td.num a").first
    target_id = row_link.get_attribute("href").lstrip("#")
    row_link.click()
    assert page.locator(f"span.ind[id='{target_id}']").inner_text() in ("50%", "80%")


def test_compare_two_provinces(page, live_server: str) -> None:
    page.goto(live_server + "/compare")
    page.select_option("select[name=metric]", METRIC)
    page.fill("input[name=provinces]", "nghe an, Lào Cai")
    page.click("form.pick button[type=submit]")
    page.wait_for_selector("table.compare")
    assert "metric=" + METRIC in page.url
    rows = page.locator("table.compare tbody tr")
    assert [r.get_attribute("data-province") for r in rows.all()] == ["Nghệ An", "Lào Cai"]
    na = page.locator("tr[data-province='Nghệ An']")
    assert "50%" in na.locator("td.targets").inner_text() and "42%" in na.locator("td.reported").inner_text()
    assert page.locator("svg.chart rect.bar-target").count() == 2
    assert page.locator("svg.chart rect.bar-reported").count() == 2
    # the page is shareable and each cell leads to its source sentence
    cell = page.locator("tr[data-province='Lào Cai'] td.reported a").first
    cell.click()
    page.wait_for_selector("article.document")
    target = page.locator("span.ind:target")
    assert target.inner_text() == "72%"
    page.go_back()
    page.wait_for_selector("table.compare")


def test_progress_chart(page, live_server: str) -> None:
    page.goto(live_server + "/progress")
    page.fill("input[name=province]", "Nghệ An")
    page.select_option("select[name=metric]", METRIC)
    page.click("form.pick button[type=submit]")
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart circle.reported-dot").count() >= 1
    assert page.locator("svg.chart line.goal").count() >= 2  # the 2025 and the 2030 targets
    assert "Hạn 31/12/2025" in page.locator("svg.chart").inner_html()
    api = httpx.get(live_server + "/api/progress", params={"province": "Nghệ An", "metric": METRIC},
                    timeout=10).json()
    statuses = page.locator("table.targets td.status").all_inner_texts()
    assert len(statuses) == len(api["targets"])
    from search_api.web.render import label

    assert statuses == [label("statuses", t["status"]) for t in api["targets"]]
    first = api["targets"][0]
    if first["attainment"] is not None:
        shown = page.locator("table.targets td.attainment").first.inner_text()
        assert shown == fmt_number(round(first["attainment"] * 100, 1)) + "%"
    assert page.locator("table.figures tbody tr").count() == len(api["reported"])


def test_upload_a_file_and_reach_its_page(page, live_server: str, tmp_path: Path) -> None:
    token = uuid.uuid4().hex[:10]
    path = tmp_path / f"ke-hoach-{token}.txt"
    path.write_text("ỦY BAN NHÂN DÂN TỈNH LÀO CAI\nSố: 31/KH-UBND\nLào Cai, ngày 15 tháng 3 năm 2024\n"
                    "KẾ HOẠCH\nPhòng, chống ma túy năm 2024\n"
                    f"Mã tham chiếu {token}. Phấn đấu đến năm 2025 có 80% xã, phường, thị trấn không ma túy; "
                    "giảm 10% số người nghiện so với năm 2023.\n", encoding="utf-8")
    page.goto(live_server + "/upload")
    page.set_input_files("input[type=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/documents/sha256-*", timeout=60_000)
    page.wait_for_selector("div.doctext")
    assert token in page.locator("div.doctext").inner_text()
    assert page.locator("td.source").inner_text() == path.name
    # and the new document is found by search
    page.goto(live_server + "/?q=" + token)
    assert page.locator("li.hit").count() == 1


def test_pages_are_readable_at_phone_width(browser, live_server: str, corpus_docs: list[Document]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    doc = seed_document(corpus_docs)
    for url in ("/?q=ma+tuy", f"/documents/{doc.id}", f"/compare?metric={METRIC}&provinces=Nghệ An,Lào Cai",
                f"/progress?province=Nghệ An&metric={METRIC}"):
        pg.goto(live_server + url)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (url, overflow)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.goto(f"{live_server}/documents/{doc.id}")
    pg.screenshot(path=str(SHOTS / "test_pages_are_readable_at_phone_width.png"))
    context.close()


def test_bad_parameters_give_a_vietnamese_4xx_page(page, live_server: str) -> None:
    cases = ["/?province=Atlantis", "/?page=abc", "/?year_from=2025&year_to=2020", "/?q=" + "x" * 5000,
             "/?kind=other", "/compare?metric=x&provinces=Atlantis", "/progress?province=Nowhere&metric=x",
             "/documents/sha256-0000"]
    for url in cases:
        r = httpx.get(live_server + url, timeout=10)
        assert 400 <= r.status_code < 500, (url, r.status_code)
        assert r.headers["content-type"].startswith("text/html"), url
        assert "Không" in r.text or "phải" in r.text or "tối đa" in r.text, url
    r = httpx.post(live_server + "/upload", files={"file": ("rong.txt", b"")}, timeout=10)
    assert r.status_code == 422 and "rỗng" in r.text
    page.goto(live_server + "/?province=Atlantis")
    assert "Atlantis" in page.locator("p.message").inner_text()
