from django.db.models import TextChoices

from apps.core.errors import DomainError


class CatalogErrorCode(TextChoices):
    NAME_REQUIRED = "name_required"
    SKU_TAKEN = "sku_taken"
    SKU_INVALID = "sku_invalid"
    GTIN_INVALID = "gtin_invalid"
    OPTIONS_INVALID = "options_invalid"
    PRICE_INVALID = "price_invalid"
    CATEGORY_UNKNOWN = "category_unknown"
    CATEGORY_EXISTS = "category_exists"
    SLUG_TAKEN = "slug_taken"  # only when many parallel requests keep taking the next slug
    FILE_INVALID = "file_invalid"
    IMAGE_INVALID = "image_invalid"
    IMAGE_IN_USE = "image_in_use"
    IMPORT_NOT_PENDING = "import_not_pending"
    TAX_CLASS_INVALID = "tax_class_invalid"
    VALUE_INVALID = "value_invalid"
    VAT_RATE_INVALID = "vat_rate_invalid"
    IMPORT_NOT_RESUMABLE = "import_not_resumable"
    IMPORT_PRODUCT_CONFLICT = "import_product_conflict"


class CatalogError(DomainError):
    pass
