from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.vat.records.models import StoreVatSettings
from apps.vat.records.services import VAT_SETTINGS_FIELDS


class VatSettingsForm(forms.ModelForm):
    class Meta:
        model = StoreVatSettings
        fields = VAT_SETTINGS_FIELDS
        widgets = {"oss_registered_since": forms.DateInput(attrs={"type": "date"})}


class VatNumberCheckForm(forms.Form):
    vat_number = forms.CharField(label=_("VAT number to check"), max_length=30)


class OssPeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2021, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )

    @classmethod
    def current(cls, data) -> "OssPeriodForm":
        today = timezone.localdate()
        initial = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
        return cls(data if data.get("year") else initial)
