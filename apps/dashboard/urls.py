from django.urls import path

from apps.dashboard.catalog import categories as catalog_categories
from apps.dashboard.catalog import edit as catalog_edit
from apps.dashboard.catalog import imports as catalog_imports
from apps.dashboard.catalog import media as catalog_media
from apps.dashboard.catalog import views as catalog
from apps.dashboard.home import views as home
from apps.dashboard.inventory import views as inventory
from apps.dashboard.sections import views as sections
from apps.dashboard.settings import views as settings_views
from apps.dashboard.vat import views as vat_views

app_name = "dashboard"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("store/switch/", home.StoreSwitchView.as_view(), name="store-switch"),
    path("settings/", settings_views.StoreSettingsView.as_view(), name="settings"),
    path("settings/stores/", settings_views.StoresView.as_view(), name="stores"),
    path("settings/staff/", settings_views.StaffView.as_view(), name="staff"),
    path(
        "settings/staff/<int:member_id>/",
        settings_views.StaffMemberView.as_view(),
        name="staff-member",
    ),
    path("settings/vat/", vat_views.VatSettingsView.as_view(), name="vat-settings"),
    path("vat/", vat_views.VatOverviewView.as_view(), name="vat"),
    path("vat/oss-return.csv", vat_views.OssReturnCsvView.as_view(), name="oss-csv"),
    path("products/", catalog.ProductListView.as_view(), name="products"),
    path("products/new/", catalog_edit.ProductEditView.as_view(), name="product-new"),
    path("products/<int:product_id>/", catalog_edit.ProductEditView.as_view(), name="product"),
    path("products/feed/", catalog.FeedView.as_view(), name="feed"),
    path(
        "products/categories/",
        catalog_categories.CategoryTreeView.as_view(),
        name="categories",
    ),
    path("products/media/", catalog_media.MediaLibraryView.as_view(), name="media"),
    path("products/import/", catalog_imports.ImportView.as_view(), name="imports"),
    path(
        "products/import/<int:import_id>/",
        catalog_imports.ImportJobView.as_view(),
        name="import",
    ),
    path(
        "products/export.<str:file_format>",
        catalog_imports.ExportView.as_view(),
        name="export",
    ),
    path("products/feed/<str:language>.csv", catalog.FeedDownloadView.as_view(), name="feed-csv"),
    path("inventory/", inventory.InventoryView.as_view(), name="inventory"),
    path(
        "inventory/variants/<int:variant_id>/",
        inventory.VariantStockView.as_view(),
        name="variant-stock",
    ),
    path("<slug:section>/", sections.SectionView.as_view(), name="section"),
]
