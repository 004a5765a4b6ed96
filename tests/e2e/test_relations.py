"""The contact point links a suggested case as the same event, then merges a duplicate into its
main case after confirming on a page that shows both; axe-core clean on every page on the way."""

import pytest
from playwright.sync_api import expect

from avvik.cases.choices import RelationKind, Status
from avvik.cases.models import Deviation, Relation
from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification
from tests.builders import file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def test_the_coordinator_links_a_suggestion_and_merges_the_duplicate(
    page, world, reporter, counterpart_reporter, coordinator
):
    main = file_case(reporter, world.municipality, title="Epikrise mangler")
    duplicate = file_case(counterpart_reporter, world.hospital, title="Fikk ikke epikrise")
    audit = Audit(page)

    login(page, coordinator.email)
    page.goto(f"/avvik/{duplicate.reference}/")
    suggested = page.locator("#relation-suggestions li", has_text=main.reference)
    expect(suggested).to_be_visible()
    audit.check("case page, coordinator, a suggested related case", phone_width=True)
    suggested.get_by_role("button").click()
    expect(page.locator("[data-message-level=success]")).to_be_visible()
    expect(page.locator("#related-cases")).to_contain_text(main.reference)
    expect(page.locator("#relation-suggestions")).to_have_count(0)
    assert Relation.objects.filter(source=duplicate, target=main, kind=RelationKind.SAME_EVENT).exists()

    merge = page.locator("details", has=page.locator('form[action$="/handling/merge/"]'))
    merge.locator("summary").click()
    merge.locator("#id_merge-into").fill(main.reference)
    merge.locator('form[action$="/handling/merge/"] button[type=submit]').click()
    # The confirmation page shows both cases; nothing is merged yet.
    expect(page.locator("#duplicate-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text(duplicate.reference)
    expect(page.locator("main")).to_contain_text(main.reference)
    audit.check("merge confirmation, coordinator", phone_width=True)
    assert Deviation.objects.get(pk=duplicate.pk).status == Status.SUBMITTED
    page.locator("button[name=confirm][value=yes]").click()

    notice = page.locator("#merged-notice")
    expect(notice).to_contain_text(main.reference)
    audit.check("case page, coordinator, a merged duplicate", phone_width=True)
    notice.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(duplicate.reference)
    assert Deviation.objects.get(pk=duplicate.pk).merged_into_id == main.pk
    told = Notification.objects.filter(kind__in=(NotificationKind.MERGED, NotificationKind.MERGED_INTO))
    assert {n.recipient for n in told} == {reporter, counterpart_reporter}
