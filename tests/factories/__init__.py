"""factory-boy factories. They create rows in whichever schema is active (see tests/conftest)."""

import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import User
from apps.tenancy.stores.models import StaffMember
from apps.tenancy.stores.roles import Role

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Product"

    store = None  # pass the store
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Variant"

    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..store"))
    store = None
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = "19.90"
