"""The satisfaction rating of a dossier (Circular 01/2018 art. 13), on the applicant's page."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import People, act, at
from motcua.engagement.actions import RatingAnswers, do_rate_dossier
from motcua.engagement.errors import RatingNotOpenError
from motcua.engagement.models import DossierRating

pytestmark = pytest.mark.django_db

ANSWERS = {
    "rating-time_taken": "early",
    "rating-trips": "0",
    "rating-conduct": "good",
    "rating-overall": "very_satisfied",
    "rating-comment": "Cán bộ hướng dẫn tận tình",
}


def login(user: User) -> Client:
    client = Client()  # Vietnamese
    client.force_login(user)
    return client


def rate(client: Client, dossier: Dossier, answers: dict[str, str]) -> object:
    return client.post(reverse("applicant:my_rating", args=[dossier.code]), answers)


def page(client: Client, dossier: Dossier) -> str:
    return client.get(reverse("applicant:detail", args=[dossier.code])).content.decode()


@pytest.fixture
def returned(running: Dossier, people: People) -> Dossier:
    """Accepted Monday 2 March 2026, result returned on Thursday 5 March at 08:00."""
    with time_machine.travel(at(2026, 3, 4, 10), tick=False):
        for action, user in (
            ("appraise", people.specialist),
            ("approve", people.leader),
            ("sign", people.clerk),
            ("issue_result", people.clerk),
        ):
            act(running, action, user)
    with time_machine.travel(at(2026, 3, 5, 8), tick=False):
        return act(running, "return_result", people.receiver)


def test_no_rating_before_the_result_is_returned(people: People, running: Dossier) -> None:
    citizen = login(people.citizen)
    assert "Đánh giá mức độ hài lòng" not in page(citizen, running)

    response = rate(citizen, running, ANSWERS)

    assert response.status_code == 409
    assert "chỉ được đánh giá sau khi đã trả kết quả" in response.content.decode()
    assert not DossierRating.objects.exists()


def test_rate_then_change_within_the_week_then_read_only(people: People, returned: Dossier) -> None:
    citizen = login(people.citizen)
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        assert "Gửi đánh giá" in page(citizen, returned)
        response = rate(citizen, returned, ANSWERS)
        assert response.status_code == 302
        shown = citizen.get(response["Location"])
        html = shown.content.decode()
        assert "Cảm ơn bạn: đánh giá đã được ghi nhận." in html
        assert "Bạn có thể sửa đánh giá đến 12/03/2026 09:00." in html
        assert "Sửa đánh giá" in html
        # The form comes back with the answers given, ready to change.
        assert shown.context["rating_form"].initial["comment"] == "Cán bộ hướng dẫn tận tình"

    # Six days later a second submission changes the same rating.
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        changed = rate(citizen, returned, {**ANSWERS, "rating-overall": "satisfied"})
        assert changed.status_code == 302
    rating = DossierRating.objects.get()
    assert rating.overall == "satisfied"
    assert rating.created_at == at(2026, 3, 5, 9)
    assert rating.points == {"time_taken": 2, "trips": 2, "conduct": 2, "overall": 1}

    # After the week it is kept as it is: shown, not editable, and a change is refused.
    with time_machine.travel(at(2026, 3, 12, 9, 1), tick=False):
        html = page(citizen, returned)
        assert "nay được giữ nguyên" in html
        assert "Sửa đánh giá" not in html
        assert "Hài lòng" in html
        refused = rate(citizen, returned, {**ANSWERS, "rating-overall": "dissatisfied"})
    assert refused.status_code == 409
    assert "đánh giá chỉ sửa được trong một tuần" in refused.content.decode()
    assert DossierRating.objects.get().overall == "satisfied"


def test_bad_answers_are_named_next_to_each_question_and_nothing_is_saved(
    people: People, returned: Dossier
) -> None:
    citizen = login(people.citizen)
    response = rate(
        citizen,
        returned,
        {"rating-trips": "7", "rating-comment": "Ý kiến của tôi vẫn còn đây"},
    )

    assert response.status_code == 400
    form = response.context["rating_form"]
    assert form.errors == {
        "time_taken": ["Hãy chọn một câu trả lời."],
        "trips": ["Hãy chọn một câu trả lời."],
        "conduct": ["Hãy chọn một câu trả lời."],
        "overall": ["Hãy chọn một câu trả lời."],
    }
    html = response.content.decode()
    assert html.count("Hãy chọn một câu trả lời.") == 4
    assert "Ý kiến của tôi vẫn còn đây" in html  # what was typed is kept
    assert not DossierRating.objects.exists()


def test_only_the_applicant_side_rates(people: People, returned: Dossier) -> None:
    # Another citizen cannot even find the dossier; an official is not the applicant's side.
    assert rate(login(people.other_citizen), returned, ANSWERS).status_code == 404
    with pytest.raises(RatingNotOpenError):
        do_rate_dossier(
            returned.code,
            RatingAnswers("early", "0", "good", "satisfied"),
            acting_user=people.receiver,
        )
    assert not DossierRating.objects.exists()
