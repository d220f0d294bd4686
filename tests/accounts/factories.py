import factory

from tests.core.factories import OrganiserFactory
from wijkwerken.accounts.models import Role, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    role = Role.BEMIDDELAAR
    organiser = factory.SubFactory(OrganiserFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
