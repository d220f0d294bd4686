"""The organiser's list of a year's fiscal attests, as CSV (streamed row by row) and XLSX (write-only, rows
streamed): one line per attest, replaced versions included and marked."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .models import AttestStatus

HEADER_FILL = PatternFill("solid", fgColor="DCE9E5")
WIDTHS = (18, 12, 30, 16, 30, 10, 22, 10, 14, 12, 12, 12)


def attest_list_header() -> list[str]:
    return [_("Attest"), _("Client number"), _("Name"), _("National register number"), _("Street and number"),
            _("Postcode"), _("City"), _("Cheques"), _("Amount paid (€)"), _("Tax reduction (%)"), _("Status"),
            _("Made on")]


def attest_list_rows(attests, *, decimal_comma: bool = False):
    """One list per attest, in the header's order; amounts as numbers (or as text with a decimal comma)."""
    for attest in attests:
        client = attest.client
        amount = f"{attest.amount:.2f}".replace(".", ",") if decimal_comma else attest.amount
        status = _("replaced") if attest.status == AttestStatus.REPLACED else _("valid")
        yield [attest.number, client.number, client.name, client.national_number_display, client.street,
               client.postcode, client.city, attest.cheques, amount, attest.reduction_percent, status,
               attest.created_at.date() if not decimal_comma else attest.created_at.strftime("%d/%m/%Y")]


def write_attest_list_xlsx(attests, target, *, year: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Attests %(year)s") % {"year": year})
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    heads = []
    for text in attest_list_header():
        head = WriteOnlyCell(sheet, value=text)
        head.font, head.fill = Font(bold=True), HEADER_FILL
        heads.append(head)
    sheet.append(heads)
    for row in attest_list_rows(attests):
        cells = [WriteOnlyCell(sheet, value=value) for value in row]
        cells[8].number_format = '#,##0.00 "€"'
        cells[11].number_format = "dd/mm/yyyy"
        sheet.append(cells)
    workbook.save(target)
