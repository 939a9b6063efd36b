"""The metric classifier shipped in models/metric/: it loads offline, names clear subjects it was not trained on,
and the unseen-document score written in it is what the training code recomputes from the repository's data."""

from __future__ import annotations

import joblib
import pytest

from models.features import metric_text
from models.runtime import METRIC_PATH
from models.train import grouped_metric_accuracy, metric_data, taxonomy

# subjects as a plan or a report may write them, in none of the taxonomy's examples nor the hand labels
UNSEEN = [
    ("số người nghiện ma túy có mặt tại địa phương", "người", "drug.addicts_count"),
    ("tỷ lệ xã, phường, thị trấn không có ma túy trên địa bàn tỉnh", "%", "drug.communes_drug_free_pct"),
    ("số vụ mua bán, vận chuyển trái phép chất ma túy bị triệt phá", "vụ", "drug.cases"),
    ("tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều giai đoạn mới", "%", "poverty.rate"),
    ("tỷ lệ người dân tham gia bảo hiểm y tế toàn tỉnh", "%", "health.insurance_coverage"),
    ("số xã được công nhận đạt chuẩn nông thôn mới trong năm", "xã", "ntm.communes_standard"),
    ("tốc độ tăng trưởng tổng sản phẩm trên địa bàn tỉnh (GRDP)", "%", "econ.gdp_growth"),
    ("tổng thu ngân sách nhà nước trên địa bàn tỉnh", "đồng", "budget.revenue"),
    ("tỷ lệ lao động đã qua đào tạo nghề", "%", "labor.trained_pct"),
    ("tỷ lệ hộ dân nông thôn được dùng nước sạch", "%", "env.sanitation"),
    ("độ che phủ rừng toàn tỉnh", "%", "forest.allocation"),
]


@pytest.fixture(scope="module")
def bundle() -> dict:
    return joblib.load(METRIC_PATH)


def test_unseen_subjects_are_not_examples() -> None:
    seed_X, _, X, _, _ = metric_data()
    known = {x.split(" | ")[0].casefold() for x in seed_X + X}
    assert not [s for s, _, _ in UNSEEN if s.casefold() in known]


def test_artifact_names_unseen_subjects(bundle: dict) -> None:
    ids = {m["id"] for m in taxonomy()}
    assert {m for _, _, m in UNSEEN} <= ids
    pipe = bundle["pipeline"]
    got = [str(m) for m in pipe.predict([metric_text(s, u) for s, u, _ in UNSEEN])]
    wrong = [(s, want, g) for (s, _, want), g in zip(UNSEEN, got, strict=True) if g != want]
    assert not wrong, wrong
    assert set(pipe.classes_) <= ids | {"other"}


def test_taxonomy_ids_are_unique_and_cover_the_api_fixture() -> None:
    from conftest import SYNTHETIC_METRIC

    ids = [m["id"] for m in taxonomy()]
    assert len(ids) == len(set(ids))
    assert SYNTHETIC_METRIC in ids
    assert all(8 <= len(m["examples"]) <= 25 for m in taxonomy())


def test_recorded_unseen_document_score_is_recomputable(bundle: dict) -> None:
    scores = bundle["scores"]
    again = grouped_metric_accuracy((0.0, scores["min_proba"]))
    assert again["t0"] == scores["unseen_document_accuracy"]
    assert again[f"t{scores['min_proba']:g}"] == scores["unseen_document_accuracy_min_proba"]
    assert scores["unseen_document_accuracy"] > scores["majority_baseline"]
