"""The dry run: each row's result, the uploader's reach, and a 10,000-row file in bounded queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from avvik.access.roles import roles_of
from avvik.administration.imports.checking import ERROR, INVITE, NOTHING, people_dry_run
from avvik.administration.models import Invitation
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, User

HEADER = "e-post;navn;virksomhet;enhet;roller\n"


def dry_run(by, world, lines: str, partnership=None):
    return people_dry_run(
        roles=roles_of(by), partnership=partnership or world.partnership, data=(HEADER + lines).encode()
    )


def outcomes(result):
    return [(r.line, r.outcome, r.errors) for r in result.results]


def test_good_rows_will_be_invited_with_their_organisation_unit_and_roles(world, org_admin):
    result = dry_run(
        org_admin,
        world,
        "kari@kommune.test;Kari;Testvik kommune;Hjemmetjenesten;Melder, Avviksansvarlig\n"
        "ola@kommune.test;Ola;testvik kommune;;reporter, leader\n",
    )
    assert outcomes(result) == [(2, INVITE, []), (3, INVITE, [])]
    first, second = result.results
    assert (first.organisation, first.unit.name, first.roles) == (
        world.municipality,
        "Hjemmetjenesten",
        (Role.REPORTER, Role.HANDLER),
    )
    assert second.roles == (Role.REPORTER, Role.LEADER)
    assert result.can_import


def test_the_organisation_is_found_by_organisation_number_or_her_id(world, partnership_admin):
    world.municipality.organisation_number = "991001107"
    world.municipality.her_id = "8020001"
    world.municipality.save()
    result = dry_run(
        partnership_admin, world, "a@kommune.test;A;991 001 107;;reporter\nb@kommune.test;B;8020001;;reporter\n"
    )
    assert [r.organisation for r in result.results] == [world.municipality, world.municipality]


def test_someone_with_the_roles_already_is_nothing_to_do(world, org_admin, counterpart_reporter):
    result = dry_run(org_admin, world, f"{counterpart_reporter.email};Has;Testvik kommune;;reporter\n")
    assert outcomes(result) == [(2, NOTHING, [])]
    assert not result.can_import  # nothing to invite


def test_every_kind_of_bad_row_gets_its_own_message_and_nothing_can_be_imported(world, org_admin):
    result = dry_run(
        org_admin,
        world,
        "a@kommune.test;A;Ukjent kommune;;reporter\n"
        "b@kommune.test;B;Test sykehus HF;;reporter\n"
        "c@kommune.test;C;Testvik kommune;Ukjent enhet;reporter\n"
        "d@kommune.test;D;Testvik kommune;;sjef\n"
        "e@kommune.test;E;Testvik kommune;;coordinator\n"
        "not-an-address;F;Testvik kommune;;reporter\n"
        "g@kommune.test;G;Testvik kommune;;reporter\n"
        "G@kommune.test;G2;Testvik kommune;;reporter\n"
        "h@kommune.test;;Testvik kommune;;reporter\n"
        "i@kommune.test;=cmd|' /C calc'!A0;Testvik kommune;;reporter\n"
        "j@kommune.test;J;Testvik kommune;;\n"
        "k@kommune.test;K;Testvik kommune;;reporter;handler\n",
    )
    errors = {r.line: " ".join(r.errors) for r in result.results if r.outcome == ERROR}
    assert "not known in this partnership" in errors[2]
    assert "You do not administer people in Test sykehus HF" in errors[3]
    assert "unit “Ukjent enhet” is not known" in errors[4]
    assert "role “sjef” is not known" in errors[5]
    assert "may not give the role “coordinator”" in errors[6]
    assert "not a valid e-mail address" in errors[7]
    assert "also on line 8" in errors[9]
    assert "name is missing" in errors[10]
    assert "looks like a spreadsheet formula" in errors[11]
    assert "roles are missing" in errors[12]
    assert "more cells than the first line" in errors[13]
    assert set(errors) == {2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13}
    assert result.error_rows == 11 and not result.can_import
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email="a@kommune.test").exists()


def test_a_partnership_admin_reaches_every_organisation_of_their_partnership_only(world, partnership_admin):
    ok = dry_run(partnership_admin, world, "a@sykehus.test;A;Test sykehus HF;;handler\n")
    assert outcomes(ok) == [(2, INVITE, [])]
    other = dry_run(partnership_admin, world, "a@annet.test;A;Annet sykehus HF;;handler\n")
    assert "not known in this partnership" in other.results[0].errors[0]
    foreign = dry_run(
        partnership_admin, world, "a@annet.test;A;Annet sykehus HF;;handler\n", partnership=world.other_partnership
    )
    assert "You do not administer people" in foreign.results[0].errors[0]


def test_a_file_error_is_shown_instead_of_rows(world, org_admin):
    result = people_dry_run(roles=roles_of(org_admin), partnership=world.partnership, data=b"x,y\n1,2\n")
    assert result.results == [] and result.file_errors and not result.can_import


def test_ten_thousand_rows_are_checked_in_a_bounded_number_of_queries(world, org_admin):
    # Some of the addresses belong to people with roles already: their memberships are read in chunks too.
    for number in range(3):
        person = User.objects.create_user(email=f"p{number}@kommune.test", full_name="P")
        Membership.objects.create(
            user=person, role=Role.REPORTER, partnership=world.partnership, organisation=world.municipality
        )
    row = "p{n}@kommune.test;P {n};Testvik kommune;Hjemmetjenesten;reporter\n"
    lines = "".join(row.format(n=number) for number in range(10_000))
    roles = roles_of(org_admin)
    with CaptureQueriesContext(connection) as queries:
        result = people_dry_run(roles=roles, partnership=world.partnership, data=(HEADER + lines).encode())
    assert result.to_invite == 9_997 and result.nothing == 3
    # Organisations, units, people in chunks of 500 (20), memberships of the few found (1).
    assert len(queries) <= 25
