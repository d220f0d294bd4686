import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cheques.bank import StatementError, parse_statement
from cheques.bank.samples import SampleLine
from cheques.models import BankLine, Cheque, ClientCredit, CreditKind, ImportStatus, LineStatus, OrderStatus, Payment
from cheques.selectors import suggestions_for
from cheques.services.bank_import import bank_line_assign, bank_line_discard
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import camt_file, coda_file, credit, order_for
from tests.query_counts import queries
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db

BUILDERS = {"coda": (coda_file, "uittreksel.cod"), "camt": (camt_file, "uittreksel.xml")}


@pytest.fixture(params=["coda", "camt"])
def statement(request, organiser):
    build, name = BUILDERS[request.param]

    def make(lines, day=None):
        return build(organiser, lines, day=day), name
    make.kind = request.param
    return make


def test_structured_payment_pays_the_order_and_reimport_adds_nothing(statement, upload, client_obj):
    order = order_for(client_obj, quantity=10)
    content, name = statement([credit(order.total, order.structured_communication, structured=True)])
    first = upload(content, name)
    assert first.status == ImportStatus.DONE, first.error
    assert (first.lines_new, first.lines_matched, first.lines_unmatched) == (1, 1, 0)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Cheque.objects.filter(order=order).count() == 10
    line = BankLine.objects.get()
    assert line.status == LineStatus.MATCHED and line.client == client_obj
    assert line.payer_iban == "BE62510007547061"  # kept for refunds
    second = upload(content, name)
    assert second.status == ImportStatus.DONE
    assert (second.lines_new, second.lines_duplicate) == (0, 1)
    assert BankLine.objects.count() == 1 and Payment.objects.count() == 1
    assert Cheque.objects.filter(order=order).count() == 10


@pytest.mark.parametrize("typed", ["{f}", "+++{f}+++", "{d}", "{d3} {d4} {d5}", "betaling {d3}/{d4}/{d5} cheques"])
def test_free_text_communications_are_matched_however_typed(statement, upload, client_obj, typed):
    order = order_for(client_obj, quantity=2)
    digits = order.structured_communication
    from stdnum.be import ogm_vcs
    text = typed.format(f=ogm_vcs.format(digits), d=digits, d3=digits[:3], d4=digits[3:7], d5=digits[7:])
    content, name = statement([credit(order.total, text)])
    upload(content, name)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_partial_then_rest_payment(statement, upload, client_obj):
    order = order_for(client_obj, quantity=10)
    content, name = statement([credit("20.00", order.structured_communication, structured=True, reference="A1")])
    upload(content, name)
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_PAID and order.amount_paid == Decimal("20.00")
    assert not Cheque.objects.exists()
    rest = order.total - Decimal("20.00")
    content, name = statement([credit(rest, order.structured_communication, structured=True, reference="A2")],
                              day=datetime.date.today())
    upload(content, name)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Cheque.objects.filter(order=order).count() == 10


def test_overpayment_keeps_the_balance_as_credit(statement, upload, client_obj):
    order = order_for(client_obj, quantity=1)
    content, name = statement([credit(order.total + Decimal("10.00"), order.structured_communication,
                                      structured=True)])
    upload(content, name)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == order.total
    credit_row = ClientCredit.objects.get()
    assert credit_row.amount == Decimal("10.00") and credit_row.kind == CreditKind.OVERPAYMENT
    assert credit_row.payer_iban == "BE62510007547061"


def test_one_transfer_pays_several_orders(statement, upload, client_obj):
    first, second = order_for(client_obj, quantity=2), order_for(client_obj, quantity=3)
    text = f"{first.structured_communication_display} {second.structured_communication_display}"
    content, name = statement([credit(first.total + second.total, text)])
    upload(content, name)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == OrderStatus.PAID
    assert Payment.objects.filter(bank_line=BankLine.objects.get()).count() == 2
    assert Cheque.objects.filter(client=client_obj).count() == 5


def test_payment_for_an_already_paid_order_is_marked_and_kept_as_credit(statement, upload, client_obj):
    order = order_for(client_obj, quantity=1)
    line = credit(order.total, order.structured_communication, structured=True, reference="X1")
    upload(*statement([line]))
    again = credit(order.total, order.structured_communication, structured=True, reference="X2")
    upload(*statement([again]))
    lines = list(BankLine.objects.order_by("pk"))
    assert [x.status for x in lines] == [LineStatus.MATCHED, LineStatus.ALREADY_PAID]
    assert ClientCredit.objects.get().kind == CreditKind.ALREADY_PAID
    assert Cheque.objects.count() == 1


def test_gebruikersnummer_pays_the_oldest_open_order(statement, upload, client_obj):
    order = order_for(client_obj, quantity=2)
    upload(*statement([credit(order.total, f"cheques klant {client_obj.number}")]))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    client_comm = statement([credit("5.00", client_obj.structured_communication_display, reference="K2")])
    upload(*client_comm)
    assert ClientCredit.objects.get().kind == CreditKind.UNKNOWN_ORDER


def test_unmatched_line_waits_with_suggestions_then_is_assigned(statement, upload, client_obj, bemiddelaar):
    order = order_for(client_obj, quantity=4)
    upload(*statement([credit(order.total, "voor de wijkwerkers", name=client_obj.name.upper())]))
    line = BankLine.objects.get()
    assert line.status == LineStatus.UNMATCHED
    suggestions = suggestions_for(line)
    assert suggestions[0].order == order
    with pytest.raises(ValidationError) as error:
        bank_line_assign(line=line, order=order, note="", actor=bemiddelaar)
    assert error.value.error_dict["note"][0].code == "note_required"
    bank_line_assign(line=line, order=order, note="Naam en bedrag kloppen", actor=bemiddelaar)
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == OrderStatus.PAID and line.status == LineStatus.ASSIGNED
    assert AuditEntry.objects.filter(action="bank_line.assign", actor=bemiddelaar).exists()
    with pytest.raises(ValidationError) as error:
        bank_line_discard(line=line, note="toch niet", actor=bemiddelaar)
    assert error.value.code == "already_handled"


def test_discard_needs_a_note(statement, upload, bemiddelaar):
    upload(*statement([credit("99.00", "huur zaal")]))
    line = BankLine.objects.get()
    bank_line_discard(line=line, note="Huur van de zaal, niet voor cheques", actor=bemiddelaar)
    line.refresh_from_db()
    assert line.status == LineStatus.DISCARDED and line.note


def test_statement_of_another_account_is_refused(statement, upload, client_obj, organiser):
    order = order_for(client_obj, quantity=1)
    content = statement([credit(order.total, order.structured_communication, structured=True)])
    organiser.iban = "BE62510007547061"
    organiser.save()
    bank_import = upload(*content)
    assert bank_import.status == ImportStatus.FAILED
    assert "niet van onze rekening" in bank_import.error or "not of our account" in bank_import.error
    assert not BankLine.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


def _coda(organiser, client_obj):
    order = order_for(client_obj, quantity=1)
    return order, coda_file(organiser, [credit(order.total, order.structured_communication, structured=True),
                                        credit("12.00", "iets anders")])


def test_coda_with_a_wrong_record_length_names_the_line(organiser, client_obj, upload):
    order, content = _coda(organiser, client_obj)
    lines = content.split(b"\r\n")
    lines[4] = lines[4][:-3]
    with pytest.raises(StatementError) as error:
        parse_statement(b"\r\n".join(lines), "coda")
    assert error.value.code == "record_length" and error.value.line == 5
    bank_import = upload(b"\r\n".join(lines))
    assert bank_import.status == ImportStatus.FAILED and bank_import.error.startswith("Line 5") is not None
    assert not BankLine.objects.exists()


def test_coda_with_a_bad_checksum_is_refused(organiser, client_obj, upload):
    order, content = _coda(organiser, client_obj)
    lines = content.split(b"\r\n")
    trailer = lines[-2].decode()
    lines[-2] = (trailer[:36] + ("1" if trailer[36] != "1" else "2") + trailer[37:]).encode()
    with pytest.raises(StatementError) as error:
        parse_statement(b"\r\n".join(lines), "coda")
    assert error.value.code == "checksum" and error.value.line == len(lines) - 1
    upload(b"\r\n".join(lines))
    assert not BankLine.objects.exists() and not Payment.objects.exists()


def test_truncated_coda_is_refused(organiser, client_obj):
    _order, content = _coda(organiser, client_obj)
    truncated = b"\r\n".join(content.split(b"\r\n")[:6])
    with pytest.raises(StatementError) as error:
        parse_statement(truncated, "coda")
    assert error.value.code == "truncated"


def test_truncated_camt_names_the_line_and_imports_nothing(organiser, client_obj, upload):
    order = order_for(client_obj, quantity=1)
    content = camt_file(organiser, [credit(order.total, order.structured_communication, structured=True)])
    truncated = content[: len(content) * 2 // 3]
    with pytest.raises(StatementError) as error:
        parse_statement(truncated, "camt053")
    assert error.value.code == "truncated" and error.value.line > 1
    bank_import = upload(truncated, "uittreksel.xml")
    assert bank_import.status == ImportStatus.FAILED
    assert f"{error.value.line}" in bank_import.error
    assert not BankLine.objects.exists()


def test_camt_with_a_bad_amount_names_the_line(organiser):
    content = camt_file(organiser, [credit("10.00", "x")])
    position = content.index(b">10.00<", content.index(b"<Ntry>"))
    content = content[:position] + b">10,00<" + content[position + 7:]
    with pytest.raises(StatementError) as error:
        parse_statement(content, "camt053")
    assert error.value.code == "bad_amount"
    assert error.value.line == content[:position].count(b"\n") + 1


def test_camt_with_entities_is_refused(organiser):
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>'
    with pytest.raises(StatementError) as error:
        parse_statement(bomb, "camt053")
    assert error.value.code == "forbidden_xml"


def test_a_file_that_is_neither_is_refused_at_upload(upload):
    with pytest.raises(ValidationError) as error:
        upload(b"hello world", "x.txt")
    assert error.value.error_dict["file"][0].code == "unknown_format"


def test_two_identical_transfers_in_one_file_are_both_kept(organiser, client_obj, upload):
    same = credit("7.00", "gift", reference="SAME")
    bank_import = upload(coda_file(organiser, [same, same]))
    assert bank_import.lines_new == 2
    assert upload(coda_file(organiser, [same, same])).lines_new == 0


def test_other_clients_orders_of_another_organiser_are_not_matched(other_organiser, organiser, upload):
    from wijkwerken.core.models import Municipality
    gent = Municipality.objects.get(nis_code="44021")
    foreign = ClientFactory(municipality=gent)
    order = order_for(foreign, quantity=1)
    upload(coda_file(organiser, [credit(order.total, order.structured_communication, structured=True)]))
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert BankLine.objects.get().status == LineStatus.UNMATCHED


def test_an_unforeseen_parser_failure_marks_the_import_failed(organiser, upload, monkeypatch):
    from cheques.services import bank_import as service

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "parse_statement", broken)
    bank_import = upload(coda_file(organiser, [credit("10.00", "x")]))
    assert bank_import.status == ImportStatus.FAILED and bank_import.error
    assert not BankLine.objects.exists()


def test_the_statement_page_names_the_orders_each_line_paid_and_the_credit(statement, upload, client_obj, client,
                                                                           bemiddelaar):
    order = order_for(client_obj, quantity=1)
    content, name = statement([credit(order.total + Decimal("10.00"), order.structured_communication,
                                      structured=True)])
    bank_import = upload(content, name)
    client.force_login(bemiddelaar)
    page = client.get(f"/cheques/bank/{bank_import.pk}/").content.decode()
    assert f'href="/cheques/bestellingen/{order.pk}/"' in page
    assert "tegoed € 10,00" in page


def test_a_statement_page_costs_as_many_queries_for_fifty_paying_lines_as_for_one(organiser, leuven, upload,
                                                                                    client, bemiddelaar):
    """Each line names the orders it paid and the credit it left; those are read for the whole page at once."""
    clients = [ClientFactory(municipality=leuven) for _ in range(50)]
    orders = [order_for(c, quantity=1) for c in clients]
    pays = [credit(o.total + Decimal("2.50"), o.structured_communication, structured=True, reference=f"Q{o.pk}")
            for o in orders]
    client.force_login(bemiddelaar)
    one = upload(coda_file(organiser, pays[:1]), "een.cod")
    fifty = upload(coda_file(organiser, pays[1:]), "vijftig.cod")
    one_queries, _ = queries(client, f"/cheques/bank/{one.pk}/")
    fifty_queries, response = queries(client, f"/cheques/bank/{fifty.pk}/")
    assert fifty_queries == one_queries
    first, second = response.content.decode(), client.get(f"/cheques/bank/{fifty.pk}/?page=2").content.decode()
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second  # 49 lines in pages of 25
    assert all(f'href="/cheques/bestellingen/{order.pk}/"' in first for order in orders[1:26])
    assert all(f'href="/cheques/bestellingen/{order.pk}/"' in second for order in orders[26:])
    assert first.count("tegoed € 2,50") == 25 and second.count("tegoed € 2,50") == 24


def _camt_with_dtd(organiser, encoding: str) -> bytes:
    """A CAMT.053 statement that declares an entity in an internal DTD and uses it in a communication."""
    content = camt_file(organiser, [credit("10.00", "PLACEHOLDER")]).decode()
    content = content.replace('<?xml version="1.0" encoding="UTF-8"?>',
                              f'<?xml version="1.0" encoding="{encoding}"?>\n'
                              '<!DOCTYPE Document [<!ENTITY expanded "+++090/9337/55493+++">]>')
    return content.replace("PLACEHOLDER", "&expanded;").encode(encoding.lower())


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
def test_camt_with_an_internal_dtd_is_refused_in_any_encoding(organiser, upload, encoding):
    content = _camt_with_dtd(organiser, encoding)
    with pytest.raises(StatementError) as error:
        parse_statement(content, "camt053")
    assert error.value.code == "forbidden_xml"
    bank_import = upload(content, "uittreksel.xml")
    assert bank_import.status == ImportStatus.FAILED and "DTD" in bank_import.error
    assert not BankLine.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_billion_laughs_file_is_refused_without_expanding_it(encoding):
    levels = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE Document [<!ENTITY lol0 "lol">{levels}]>'
            "<Document><BkToCstmrStmt><Stmt>&lol9;</Stmt></BkToCstmrStmt></Document>").encode(encoding)
    with pytest.raises(StatementError) as error:
        parse_statement(bomb, "camt053")
    assert error.value.code == "forbidden_xml"


def test_a_utf16_statement_without_dtd_is_read_like_a_utf8_one(organiser, client_obj, upload):
    order = order_for(client_obj, quantity=1)
    content = camt_file(organiser, [credit(order.total, order.structured_communication, structured=True,
                                           name="Ève Dubois")]).decode()
    content = content.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    bank_import = upload(content, "uittreksel.xml")
    assert bank_import.status == ImportStatus.DONE, bank_import.error
    assert BankLine.objects.get().payer_name == "Ève Dubois"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_truncated_camt_names_the_last_line_lxml_read(organiser):
    content = camt_file(organiser, [credit("10.00", "x"), credit("12.00", "y")])
    truncated = content[: content.index(b"<Amt", content.rindex(b"<Ntry>")) + 6]
    with pytest.raises(StatementError) as error:
        parse_statement(truncated, "camt053")
    assert error.value.code == "truncated"
    assert error.value.line == truncated.count(b"\n") + 1
    assert error.value.display().startswith(f"Regel {error.value.line}:")


def test_camt_with_a_syntax_error_names_its_line(organiser):
    content = camt_file(organiser, [credit("10.00", "x")])
    position = content.index(b"</CdtDbtInd>")
    broken = content[:position] + b"</CdtDbtIndx>" + content[position + len(b"</CdtDbtInd>"):]
    with pytest.raises(StatementError) as error:
        parse_statement(broken, "camt053")
    assert error.value.code == "bad_xml"
    assert error.value.line == content[:position].count(b"\n") + 1


def test_a_card_payment_on_a_coda_statement_is_shown_as_the_bank_wrote_it(organiser, upload, client, bemiddelaar):
    """A card payment carries the terminal's data as a "structured" communication of type 114: it is no payment
    reference and must not be shown as +++…+++."""
    terminal = "4871049912345678 0105261432 DELHAIZE LEUVEN"
    card = SampleLine(amount=Decimal("30.00"), payer_name="Worldline", communication=terminal, structured=True,
                      structured_type="114", reference="CARD1")
    bank_import = upload(coda_file(organiser, [card]))
    line = BankLine.objects.get()
    assert line.communication == terminal
    assert line.status == LineStatus.UNMATCHED
    client.force_login(bemiddelaar)
    page = client.get(f"/cheques/bank/{bank_import.pk}/").content.decode()
    assert terminal in page and "+++487/1049/91234+++" not in page


def test_a_structured_communication_of_type_101_is_still_shown_formatted(organiser):
    parsed = parse_statement(coda_file(organiser, [credit("10.00", "090933755493", structured=True)]), "coda")
    [line] = parsed.lines
    assert (line.communication, line.structured) == ("+++090/9337/55493+++", True)


def test_a_camt_reference_that_is_no_belgian_structured_communication_stays_as_written(organiser):
    content = camt_file(organiser, [credit("10.00", "090933755493", structured=True)])
    start, end = content.index(b"<RmtInf>"), content.index(b"</RmtInf>") + len(b"</RmtInf>")
    iso_reference = (b"<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>"
                     b"<Ref>RF18539007547034</Ref></CdtrRefInf><AddtlRmtInf>card 1234</AddtlRmtInf></Strd></RmtInf>")
    [line] = parse_statement(content[:start] + iso_reference + content[end:], "camt053").lines
    assert (line.communication, line.structured) == ("RF18539007547034 card 1234", False)


# --- statements that are older than they should be -----------------------------------------------------------

def test_a_statement_of_2009_imports_with_a_warning_shown_and_kept(statement, upload, client_obj, client,
                                                                   bemiddelaar):
    order = order_for(client_obj, quantity=1)
    bank_import = upload(*statement([credit(order.total, order.structured_communication, structured=True)],
                                    day=datetime.date(2009, 3, 2)))
    assert bank_import.status == ImportStatus.DONE
    assert bank_import.warning_list == [
        "Dit uittreksel bevat verrichtingen geboekt op 02/03/2009, voor onze organisatie met wijk-werken begon "
        "(01/01/2018). Controleer of dit het juiste bestand is.",
        f"Dit uittreksel is van 02/03/2009, {(datetime.date.today() - datetime.date(2009, 3, 2)).days} dagen geleden: "
        "ouder dan de 60 dagen waarna we waarschuwen. Controleer of dit het juiste bestand is."]
    warning = AuditEntry.objects.get(action="bank_import.warning")
    assert warning.object_id == str(bank_import.pk) and "02/03/2009" in warning.summary
    client.force_login(bemiddelaar)
    page = client.get(f"/cheques/bank/{bank_import.pk}/").content.decode()
    assert 'data-testid="import-warnings"' in page and "voor onze organisatie met wijk-werken begon" in page
    assert "waarschuwing" in client.get("/cheques/bank/").content.decode()


def test_a_recent_statement_has_no_warning(statement, upload, client, bemiddelaar):
    bank_import = upload(*statement([credit("10.00", "gift")], day=datetime.date.today() - datetime.timedelta(days=3)))
    assert bank_import.status == ImportStatus.DONE and bank_import.warnings == ""
    assert not AuditEntry.objects.filter(action="bank_import.warning").exists()
    client.force_login(bemiddelaar)
    assert 'data-testid="import-warnings"' not in client.get(f"/cheques/bank/{bank_import.pk}/").content.decode()


def test_the_age_that_warns_is_a_rule_of_the_organiser(organiser, upload):
    from wijkwerken.core.models import RuleSet

    RuleSet.objects.filter(organiser=organiser).update(bank_statement_warning_days=10)
    today = datetime.date.today()
    at_the_limit = upload(coda_file(organiser, [credit("10.00", "a", reference="A")],
                                    day=today - datetime.timedelta(10)))
    assert at_the_limit.warnings == ""
    past_it = upload(coda_file(organiser, [credit("10.00", "b", reference="B")], day=today - datetime.timedelta(11)))
    assert past_it.warning_list == [
        f"Dit uittreksel is van {today - datetime.timedelta(11):%d/%m/%Y}, 11 dagen geleden: ouder dan de 10 dagen "
        "waarna we waarschuwen. Controleer of dit het juiste bestand is."]


def test_movements_before_the_organisers_first_rules_warn(organiser, upload):
    from wijkwerken.core.models import RuleSet

    RuleSet.objects.filter(organiser=organiser).update(valid_from=datetime.date(2024, 1, 1),
                                                       bank_statement_warning_days=30000)
    bank_import = upload(coda_file(organiser, [credit("10.00", "x")], day=datetime.date(2023, 12, 29)))
    assert bank_import.warning_list == [
        "Dit uittreksel bevat verrichtingen geboekt op 29/12/2023, voor onze organisatie met wijk-werken begon "
        "(01/01/2024). Controleer of dit het juiste bestand is."]
