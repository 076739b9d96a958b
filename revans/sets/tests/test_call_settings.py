"""The set's momentum call settings: on or off, and how far between meetings."""

from django.urls import reverse

from revans.sets.models import LearningSet
from revans.sets.tests.test_edit_status import edit_data


def test_the_facilitator_switches_calls_off_and_moves_them(client, world):
    client.force_login(world.facilitator)
    page = client.get(reverse("sets:edit", args=[world.set_a.pk])).content.decode()
    assert "Momentum calls" in page and 'value="50"' in page
    response = client.post(
        reverse("sets:edit", args=[world.set_a.pk]),
        edit_data(world.set_a, momentum_calls="off", momentum_call_percent="30"),
    )
    assert response.status_code == 302
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.momentum_calls is False
    assert learning_set.momentum_call_percent == 30


def test_a_bad_timing_is_refused_and_kept(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        reverse("sets:edit", args=[world.set_a.pk]),
        edit_data(world.set_a, momentum_calls="on", momentum_call_percent="95"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter at most 90." in body
    assert 'value="95"' in body
    assert LearningSet.objects.get(pk=world.set_a.pk).momentum_call_percent == 50


def test_values_left_out_keep_what_the_set_has(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        momentum_calls=False, momentum_call_percent=40
    )
    world.set_a.refresh_from_db()
    client.force_login(world.facilitator)
    client.post(reverse("sets:edit", args=[world.set_a.pk]), edit_data(world.set_a))
    learning_set = LearningSet.objects.get(pk=world.set_a.pk)
    assert learning_set.momentum_calls is False
    assert learning_set.momentum_call_percent == 40
