"""Public kernel pages: home, language, the belt directory and the category browser."""

from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.matrix import Route, World, expect


def build(world: World) -> None:
    root = CategoryFactory(slug="matrix-bags", name_en="Bags", name_zh="箱包")
    leaf = CategoryFactory(parent=root, slug="matrix-school-bags", name_en="School bags", name_zh="书包")
    world.kernel_category = root
    world.kernel_live_belt = IndustrialBeltFactory(slug="matrix-live-belt", specialties=[leaf])
    world.kernel_draft_belt = IndustrialBeltFactory(slug="matrix-draft-belt", status="draft", specialties=[leaf])
    SupplierProfileFactory(belt=world.kernel_live_belt, main_categories=[leaf])


ROUTES = [
    Route("home", expect(200)),
    Route("set_language", expect(302), method="post", data=lambda w: {"language": "zh-hans", "next": "/"}),
    Route("belt_list", expect(200)),
    Route("belt_detail", expect(200), kwargs=lambda w: {"slug": w.kernel_live_belt.slug}),
    # A draft belt is staff's work in progress: for everyone else it does not exist.
    Route("belt_detail", expect(404, staff=200), kwargs=lambda w: {"slug": w.kernel_draft_belt.slug}),
    Route("category_list", expect(200)),
    Route("category_detail", expect(200), kwargs=lambda w: {"slug": w.kernel_category.slug}),
]
