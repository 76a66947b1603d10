"""Catalogue writes under parallel requests, on real parallel connections (tests/parallel.py):
categories, product slugs and the feed address."""

import pytest

from apps.catalog.errors import CatalogErrorCode
from apps.catalog.models import Category, Product, ProductFeed
from apps.catalog.services import (
    category_create,
    product_create,
    product_feed_get,
    product_feed_rotate,
)
from apps.tenancy.stores.models import Store
from tests.parallel import committed, in_parallel, unexpected

pytestmark = pytest.mark.django_db


def _store():
    return Store.objects.get(slug="shop")


def test_one_category_created_twice_at_once_is_one_category(race_merchant):
    store = committed(_store, merchant=race_merchant)
    create = lambda: category_create(store=store, names={"fr": "Chaussettes"})  # noqa: E731
    outcomes = in_parallel(create, create, merchant=race_merchant)
    assert not unexpected(outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True]
    assert [o.code for o in outcomes if not o.ok] == [CatalogErrorCode.CATEGORY_EXISTS]
    assert committed(lambda: Category.objects.count(), merchant=race_merchant) == 1


def test_categories_added_at_once_all_find_their_place_in_the_tree(race_merchant):
    """treebeard computes a new node's path from its siblings: without the tree lock, parallel
    additions compute the same path (a server error) or shift each other's."""
    store = committed(_store, merchant=race_merchant)
    root = committed(
        lambda: category_create(store=store, names={"fr": "Vêtements"}), merchant=race_merchant
    )
    names = ["Zèbre", "Abeille", "Marmotte", "Castor"]
    outcomes = in_parallel(
        *[lambda n=n: category_create(store=store, names={"fr": n}) for n in names],
        *[
            lambda n=n: category_create(store=store, names={"fr": f"{n} 2"}, parent=root)
            for n in names
        ],
        merchant=race_merchant,
    )
    assert all(o.ok for o in outcomes), outcomes

    def tree():
        parent = Category.objects.get(pk=root.pk)  # its path moved as roots were sorted in
        return (
            Category.objects.find_problems(),
            sorted(c.name for c in Category.objects.get_root_nodes()),
            sorted(c.name for c in Category.objects.get_children(parent)),
        )

    problems, roots, children = committed(tree, merchant=race_merchant)
    assert all(not found for found in problems), problems  # depth, child counts, orphans
    assert roots == sorted([*names, "Vêtements"])
    assert children == sorted(f"{n} 2" for n in names)


def test_products_with_one_name_created_at_once_get_their_own_slugs(race_merchant):
    store = committed(_store, merchant=race_merchant)
    create = lambda: product_create(store=store, names={"fr": "Bonnet"})  # noqa: E731
    outcomes = in_parallel(
        create,
        create,
        create,
        merchant=race_merchant,
        # All three find "bonnet" free, then wait on the unique index: the insert decides.
        behind=lambda: Product.objects.create(store=store, slug="bonnet"),
    )
    assert not unexpected(outcomes) and all(o.ok for o in outcomes), outcomes
    slugs = committed(
        lambda: sorted(Product.objects.values_list("slug", flat=True)), merchant=race_merchant
    )
    assert slugs == ["bonnet", "bonnet-2", "bonnet-3"]


def _feed_held(store):
    """A feed row not yet committed: both requests find none, then wait on the unique index."""
    ProductFeed.objects.create(store=store, token="held")


def test_the_feed_address_asked_for_twice_at_once_is_one_address(race_merchant):
    store = committed(_store, merchant=race_merchant)
    get = lambda: product_feed_get(store=store).token  # noqa: E731
    outcomes = in_parallel(get, get, merchant=race_merchant, behind=lambda: _feed_held(store))
    assert all(o.ok for o in outcomes), outcomes
    tokens = {o.result for o in outcomes}
    assert len(tokens) == 1
    stored = committed(
        lambda: list(ProductFeed.objects.values_list("token", flat=True)), merchant=race_merchant
    )
    assert stored == list(tokens)


def test_two_first_rotations_at_once_leave_one_working_address(race_merchant):
    store = committed(_store, merchant=race_merchant)
    rotate = lambda: product_feed_rotate(store=store).token  # noqa: E731
    outcomes = in_parallel(rotate, rotate, merchant=race_merchant, behind=lambda: _feed_held(store))
    assert all(o.ok for o in outcomes), outcomes
    stored = committed(
        lambda: list(ProductFeed.objects.values_list("token", flat=True)), merchant=race_merchant
    )
    assert len(stored) == 1 and stored[0] in {o.result for o in outcomes}
