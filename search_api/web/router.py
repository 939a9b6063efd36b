"""The web pages: search, a document with its findings highlighted, compare provinces, progress, upload.

Server-rendered (Jinja2); search and reading work without JavaScript. Pages read the index only through the
backend from :mod:`search_api.deps` and the shared :mod:`search_api.services`. Every parameter is read as text
and checked here, so a bad one gives a page with a 4xx status and a Vietnamese message, never a 500.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from search_api import ingest
from search_api.backends.base import DocumentQuery, IndicatorQuery, SearchBackend
from search_api.deps import BackendDep, SettingsDep
from search_api.provinces import canonical_province
from search_api.services import compare, document_detail, progress
from search_api.settings import Settings
from search_api.textutil import parse_query
from search_api.web import charts
from search_api.web.render import (
    anchor_id,
    fmt_amount,
    fmt_date,
    fmt_number,
    fmt_period,
    label,
    labels,
    marked_text,
    mention_title,
    metric_label,
)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
PAGE_SIZE = 10
MAX_PROVINCES = 20
KINDS = ("target", "reported", "baseline")

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(label=label, labels=labels, fmt_number=fmt_number, fmt_date=fmt_date,
                             fmt_amount=fmt_amount, fmt_period=fmt_period, metric_label=metric_label,
                             mention_title=mention_title, anchor_id=anchor_id)
templates.env.filters["amount"] = lambda f: fmt_amount(f.get("value"), f.get("unit"), f.get("comparator"),
                                                       f.get("value_max"), f.get("denominator"), f.get("change"))
templates.env.filters["source_href"] = lambda f: source_href(f)


class WebError(Exception):
    """A problem with the request, shown as a page with this status and Vietnamese message."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def source_href(fig: dict) -> str:
    """The document page, scrolled to the figure's place in its sentence."""
    src = fig["source"]
    return f"/documents/{quote(src['doc_id'], safe='')}#{anchor_id(src['start'], src['end'])}"


def _page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _error(request: Request, err: WebError) -> HTMLResponse:
    return _page(request, "error.html", {"title": "Không thực hiện được yêu cầu", "message": err.message,
                                         "status": err.status}, status=err.status)


# ---------------------------------------------------------------- reading parameters
def _text(request: Request, name: str, limit: int = 300) -> str | None:
    value = request.query_params.get(name)
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise WebError(f"Tham số “{name}” dài quá {limit} ký tự.")
    return value.strip()


def _int(request: Request, name: str, lo: int, hi: int) -> int | None:
    value = _text(request, name, 20)
    if value is None:
        return None
    try:
        n = int(value)
    except ValueError:
        raise WebError(f"Tham số “{name}” phải là một số nguyên, không phải “{value}”.") from None
    if not lo <= n <= hi:
        raise WebError(f"Tham số “{name}” phải nằm trong khoảng {lo}–{hi}.")
    return n


def _query(request: Request, settings: Settings) -> str | None:
    q = request.query_params.get("q")
    if q is None or not q.strip():
        return None
    if len(q) > settings.max_query_chars:
        raise WebError(f"Câu tìm kiếm dài {len(q)} ký tự; tối đa {settings.max_query_chars} ký tự.")
    if parse_query(q).empty:
        raise WebError("Câu tìm kiếm không có chữ hoặc số nào để tìm.")
    return q.strip()


def _province(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    canon = canonical_province(name)
    if canon is None:
        raise WebError(f"Không có tỉnh, thành phố nào tên “{name.strip()[:100]}”.")
    return canon


def _kind(request: Request) -> str | None:
    kind = _text(request, "kind", 20)
    if kind is not None and kind not in KINDS:
        raise WebError("Loại số liệu phải là một trong: target (mục tiêu), reported (kết quả), baseline (gốc).")
    return kind


def _url(path: str, params: dict, **changes: object) -> str:
    merged = {**params, **changes}
    pairs = [(k, str(v)) for k, v in merged.items() if v not in (None, "")]
    return path + ("?" + urlencode(pairs) if pairs else "")


# ---------------------------------------------------------------- search
@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, backend: BackendDep, settings: SettingsDep) -> HTMLResponse:
    try:
        params = {"q": _query(request, settings), "province": _province(_text(request, "province")),
                  "doc_type": _text(request, "doc_type"), "issuer": _text(request, "issuer"),
                  "year_from": _int(request, "year_from", 1900, 2100), "year_to": _int(request, "year_to", 1900, 2100),
                  "metric": _text(request, "metric"), "kind": _kind(request), "agency": _text(request, "agency")}
        page = _int(request, "page", 1, 10_000 // PAGE_SIZE) or 1
        if params["year_from"] and params["year_to"] and params["year_from"] > params["year_to"]:
            raise WebError("Năm bắt đầu lớn hơn năm kết thúc.")
    except WebError as err:
        return _error(request, err)
    results = backend.search_documents(DocumentQuery(**params, page=page, size=PAGE_SIZE))
    hits = []
    for hit in results.hits:
        inds = backend.search_indicators(IndicatorQuery(doc_id=hit.id, size=5, facets=False))
        hits.append({"hit": hit, "href": f"/documents/{quote(hit.id, safe='')}", "indicators": inds.hits,
                     "n_indicators": inds.total})
    facets = _facet_links(results.facets, params)
    active = [(label("facets", k) if k in labels()["facets"] else k, _active_value(k, v), _url("/", params, **{k: None}))
              for k, v in params.items() if v not in (None, "") and k != "q"]
    pages = (results.total + PAGE_SIZE - 1) // PAGE_SIZE
    return _page(request, "search.html", {
        "title": f"Tìm kiếm: {params['q']}" if params["q"] else "Tìm kiếm văn bản", "params": params,
        "results": results, "hits": hits, "facets": facets, "active": active, "page": page, "pages": pages,
        "prev_href": _url("/", params, page=page - 1) if page > 1 else None,
        "next_href": _url("/", params, page=page + 1) if page < pages else None})


def _active_value(key: str, value: object) -> str:
    if key == "metric":
        return metric_label(str(value))
    if key == "kind":
        return label("indicator_kinds", str(value))
    return str(value)


def _facet_links(facets: dict, params: dict) -> list[dict]:
    out = []
    for key in ("province", "doc_type", "issuer", "year", "metric", "kind"):
        counts = facets.get(key) or []
        if not counts:
            continue
        items = []
        for f in counts[:12]:
            value = str(f.value)
            if key == "year":
                href = _url("/", params, year_from=value, year_to=value, page=None)
                selected = str(params.get("year_from")) == value and str(params.get("year_to")) == value
                text = value
            else:
                href = _url("/", params, **{key: value, "page": None})
                selected = params.get(key) == value
                text = _active_value(key, value)
            items.append({"text": text, "count": f.count, "href": href, "selected": selected})
        out.append({"key": key, "title": label("facets", key), "items": items})
    return out


# ---------------------------------------------------------------- one document
@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, backend: BackendDep) -> HTMLResponse:
    if len(doc_id) > 200:
        return _error(request, WebError("Mã văn bản quá dài.", 422))
    doc = backend.get_document(doc_id)
    if doc is None:
        return _error(request, WebError(f"Không tìm thấy văn bản có mã “{doc_id[:80]}”.", 404))
    data = document_detail(backend, doc)
    body, dropped = marked_text(data["text"], data["mentions"], data["indicators"])
    counts = Counter(m["kind"] for m in data["mentions"])
    meta = data["metadata"]
    title = " ".join(x for x in (meta.get("doc_type"), meta.get("number")) if x) or meta.get("title") or doc.source
    return _page(request, "document.html", {
        "title": title, "doc": data, "meta": meta, "body": body, "dropped": dropped, "counts": counts,
        "indicators": [{**ind, "anchor": anchor_id(ind["start"], ind["end"])} for ind in data["indicators"]]})


# ---------------------------------------------------------------- compare
def _choices(backend: SearchBackend, province: str | None = None) -> tuple[list, list]:
    facets = backend.search_indicators(IndicatorQuery(size=1, province=province, exact_facets=True)).facets
    return facets.get("metric", []), facets.get("province", [])


def _province_list(request: Request) -> list[str]:
    raw = request.query_params.getlist("provinces") + request.query_params.getlist("province")
    names = [n.strip() for r in raw for n in r.split(",") if n.strip()]
    if len(names) > MAX_PROVINCES:
        raise WebError(f"Chỉ so sánh được tối đa {MAX_PROVINCES} tỉnh, thành phố.")
    return list(dict.fromkeys(p for p in (_province(n) for n in names) if p))


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, backend: BackendDep, settings: SettingsDep) -> HTMLResponse:
    try:
        metric = _text(request, "metric")
        topic = _text(request, "topic", settings.max_query_chars)
        if topic and parse_query(topic).empty:
            raise WebError("Chủ đề không có chữ hoặc số nào để tìm.")
        provinces = _province_list(request)
    except WebError as err:
        return _error(request, err)
    metrics, province_facets = _choices(backend)
    context = {"title": "So sánh các tỉnh", "metric": metric, "topic": topic, "provinces": provinces,
               "metrics": metrics, "province_facets": province_facets, "rows": None, "chart": None}
    if metric or topic:
        result = compare(backend, provinces, metric=metric, topic=topic)
        context["rows"] = result["provinces"]
        context["chart"], context["unit"] = _compare_chart(result["provinces"], metric, topic)
        context["title"] = f"So sánh: {metric_label(metric) if metric else topic}"
    return _page(request, "compare.html", context)


def _compare_chart(rows: list[dict], metric: str | None, topic: str | None) -> tuple[object, str | None]:
    """Each province's nearest target beside its latest reported figure, in the unit seen first."""
    figures = [f for r in rows for f in (r["targets"][:1] + r["reported"][:1]) if f["value"] is not None]
    if not figures:
        return None, None
    unit = figures[0]["unit"]
    bars = []
    for r in rows:
        for series, figs in (("target", r["targets"]), ("reported", r["reported"])):
            fig = next((f for f in figs if f["value"] is not None and f["unit"] == unit), None)
            if fig:
                when = fmt_date(fig["deadline"] or fig["date"])
                bars.append(charts.Bar(r["province"], series, float(fig["value"]),
                                       f"{r['province']}: {label('indicator_kinds', series)} "
                                       f"{fmt_amount(fig['value'], fig['unit'])} ({when})", source_href(fig)))
    title = f"{metric_label(metric) if metric else topic} — mục tiêu và kết quả mới nhất"
    return charts.bar_chart(bars, unit or "", title), unit


# ---------------------------------------------------------------- progress
@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, backend: BackendDep) -> HTMLResponse:
    try:
        province = _province(_text(request, "province"))
        metric = _text(request, "metric")
    except WebError as err:
        return _error(request, err)
    metrics, province_facets = _choices(backend, province)
    context = {"title": "Theo dõi tiến độ", "province": province, "metric": metric, "metrics": metrics,
               "province_facets": province_facets, "result": None, "chart": None}
    if province and metric:
        result = progress(backend, province, metric)
        context["result"] = result
        context["chart"], context["unit"] = _progress_chart(result, province, metric)
        context["title"] = f"Tiến độ: {metric_label(metric)} — {province}"
    return _page(request, "progress.html", context)


def _progress_chart(result: dict, province: str, metric: str) -> tuple[object, str | None]:
    targets = [t["target"] for t in result["targets"] if t["target"]["value"] is not None]
    reported = [f for f in result["reported"] if f["value"] is not None]
    if not targets and not reported:
        return None, None
    unit = (targets or reported)[0]["unit"]
    points = []
    for f in reported:
        when = charts.as_date(f["date"])
        if f["unit"] == unit and when:
            points.append(charts.Point(when, float(f["value"]), f"{label('indicator_kinds', f['kind'])}: "
                                       f"{fmt_amount(f['value'], f['unit'])} ({fmt_date(f['date'])})",
                                       source_href(f)))
    goals = []
    for t in targets:
        if t["unit"] == unit:
            deadline = charts.as_date(t["deadline"])
            goals.append(charts.Goal(float(t["value"]), deadline, charts.as_date(t["source"]["issued_date"]),
                                     f"Mục tiêu {fmt_amount(t['value'], t['unit'], t['comparator'])}"
                                     f" đến {fmt_date(t['deadline']) or '?'}", source_href(t)))
    return charts.progress_chart(points, goals, unit or "", f"{metric_label(metric)} — {province}"), unit


# ---------------------------------------------------------------- upload
@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "upload.html", {"title": "Tải văn bản lên", "needs_key": bool(settings.api_key),
                                          "limit": settings.upload_max_bytes})


@router.post("/upload", response_model=None)
async def upload_submit(request: Request, backend: BackendDep, settings: SettingsDep) -> Response:
    """Ingest as POST /api/documents does (read, extract, index), then go to the document's page."""
    try:
        form = await request.form(max_files=1, max_fields=5)
    except Exception:  # noqa: BLE001 - a malformed form body is the sender's problem
        return _error(request, WebError("Không đọc được biểu mẫu gửi lên.", 400))
    upload = form.get("file")
    if settings.api_key and (form.get("api_key") or request.headers.get("x-api-key")) != settings.api_key:
        return _error(request, WebError("Cần khóa API hợp lệ để tải văn bản lên.", 401))
    if not isinstance(upload, UploadFile):
        return _error(request, WebError("Chưa chọn tệp để tải lên.", 422))
    limit = settings.upload_max_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        return _error(request, WebError(f"Tệp lớn hơn giới hạn {fmt_number(limit)} byte.", 413))
    if not data:
        return _error(request, WebError("Tệp tải lên rỗng.", 422))
    doc = await run_in_threadpool(ingest.process_upload, data, upload.filename or "upload.txt")
    if not _indexable(doc):
        return _page(request, "error.html", {
            "title": "Không đọc được văn bản", "status": 422,
            "message": f"Không thể đọc tệp “{doc.source}”; không có gì được lưu vào chỉ mục.",
            "errors": [e.message for e in doc.errors]}, status=422)
    await run_in_threadpool(backend.index_documents, [doc])
    return RedirectResponse(f"/documents/{quote(doc.id, safe='')}", status_code=303)


def _indexable(doc: object) -> bool:
    """The API's rule for what an upload may index (``ingest.indexable`` where it exists, else no error)."""
    check = getattr(ingest, "indexable", None)
    return bool(check(doc)) if check else bool(doc.ok)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- static files (served locally, no CDN)
@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    allowed = {p.name: p for p in STATIC.iterdir() if p.is_file()}
    if name not in allowed:
        raise HTTPException(status_code=404, detail="no such file")
    return FileResponse(allowed[name], headers={"Cache-Control": "public, max-age=3600"})
