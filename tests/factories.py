import factory
from stdnum.no import orgnr

from avvik.tenancy.choices import OrganisationKind, Role
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

PASSWORD = "correct-horse-battery"


def _organisation_number(n: int) -> str:
    """The n-th valid organisation number from 980000000 up (fictitious but well-formed)."""
    candidate = 980000000 + n * 97
    while not orgnr.is_valid(str(candidate)):
        candidate += 1
    return str(candidate)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Helsefellesskap {n}")
    slug = factory.Sequence(lambda n: f"hf-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Virksomhet {n}")
    kind = OrganisationKind.MUNICIPALITY
    organisation_number = factory.Sequence(_organisation_number)
    her_id = factory.Sequence(lambda n: str(9000000 + n))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    full_name = factory.Sequence(lambda n: f"Person {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("password", PASSWORD)
        return model_class.objects.create_user(*args, **kwargs)


def grant(user: User, role: Role, *, organisation: Organisation | None = None, partnership=None) -> Membership:
    """Give a person a role in an organisation, or in a partnership."""
    if organisation is not None:
        return Membership.objects.create(
            user=user, role=role, organisation=organisation, partnership=organisation.partnership
        )
    return Membership.objects.create(user=user, role=role, partnership=partnership)
