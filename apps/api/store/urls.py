from django.urls import path

from apps.api.store import catalog, stock

app_name = "store-api"

urlpatterns = [
    path("products/", catalog.ProductListView.as_view(), name="products"),
    path("products/<int:product_id>/", catalog.ProductDetailView.as_view(), name="product"),
    path("categories/", catalog.CategoryListView.as_view(), name="categories"),
    path("stock/", stock.StockLevelListView.as_view(), name="stock"),
    path("stock/adjustments/", stock.StockAdjustmentView.as_view(), name="stock-adjustments"),
]
