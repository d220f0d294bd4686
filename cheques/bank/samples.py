"""Writers for real-format statement files (CODA 2 and CAMT.053.001.02), for the demo files, the tests and
the benchmark. The output passes the same checks as a bank's file."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from stdnum import iban as stdnum_iban


@dataclass
class SampleLine:
    amount: Decimal
    payer_name: str = ""
    payer_iban: str = ""
    payer_bic: str = ""
    communication: str = ""
    structured: bool = False  # `communication` holds the 12 digits of a structured communication
    structured_type: str = "101"  # CODA: the type of a structured communication (114: a card payment's data)
    credit: bool = True
    reference: str = ""


def _field(value, width: int) -> str:
    return str(value)[:width].ljust(width)


def _amount(value: Decimal, width: int = 15) -> str:
    return f"{int(Decimal(value) * 1000):0{width}d}"


def build_coda(*, account_iban: str, holder: str, day: datetime.date, lines: list[SampleLine],
               old_balance: Decimal = Decimal("0"), sequence: int = 1) -> bytes:
    """One statement per 9,999 movements (the CODA sequence number has four digits), all in one file."""
    chunks = [lines[i:i + 9999] for i in range(0, len(lines), 9999)] or [[]]
    content, balance = b"", old_balance
    for offset, chunk in enumerate(chunks):
        content += _coda_statement(account_iban=account_iban, holder=holder, day=day, lines=chunk,
                                   old_balance=balance, sequence=sequence + offset)
        balance += sum((x.amount if x.credit else -x.amount for x in chunk), Decimal(0))
    return content


def _coda_statement(*, account_iban, holder, day, lines, old_balance, sequence) -> bytes:
    account = stdnum_iban.compact(account_iban)
    date = day.strftime("%d%m%y")
    records = [
        "0" + "0000" + date + "725" + "05" + " " + " " * 7 + _field("WIJKWERK", 10) + _field(holder, 26)
        + _field("GKCCBEBB", 11) + "00000000000" + " " + "00000" + " " * 16 + " " * 16 + " " * 7 + "2",
        "1" + "2" + f"{sequence:03d}" + _field(account, 34) + "EUR" + ("1" if old_balance < 0 else "0")
        + _amount(abs(old_balance)) + date + _field(holder, 26) + _field("Rekeninguittreksel", 35)
        + f"{sequence:03d}",
    ]
    debit = credit = Decimal(0)
    for n, line in enumerate(lines, start=1):
        seq = f"{n:04d}"
        if line.credit:
            credit += line.amount
        else:
            debit += line.amount
        if line.structured:
            communication = "1" + line.structured_type + _field(line.communication, 50)
        else:
            communication = "0" + _field(line.communication[:53], 53)
        rest = line.communication[53:106] if not line.structured else ""
        reference = _field(line.reference or f"REF{day:%y%m%d}{n:06d}", 21)
        records.append("21" + seq + "0000" + reference + ("0" if line.credit else "1") + _amount(line.amount)
                       + date + "00150000" + communication + date + f"{sequence:03d}" + "0" + "1" + " " + "0")
        records.append("22" + seq + "0000" + _field(rest, 53) + _field("", 35) + _field(line.payer_bic, 11)
                       + " " * 3 + " " + " " * 4 + " " * 4 + " " * 4 + "1" + " " + "0")
        records.append("23" + seq + "0000" + _field(stdnum_iban.compact(line.payer_iban), 34) + "EUR"
                       + _field(line.payer_name, 35) + _field("", 43) + "0" + " " + "1")
    new_balance = old_balance + credit - debit
    records.append("8" + f"{sequence:03d}" + _field(account, 34) + "EUR" + ("1" if new_balance < 0 else "0")
                   + _amount(abs(new_balance)) + date + " " * 64 + "0")
    count = len(records) - 1
    records.append("9" + " " * 15 + f"{count:06d}" + _amount(debit) + _amount(credit) + " " * 75 + "2")
    for record in records:
        assert len(record) == 128, (len(record), record)
    return ("\r\n".join(records) + "\r\n").encode("windows-1252")


def build_camt053(*, account_iban: str, holder: str, day: datetime.date, lines: list[SampleLine],
                  statement_id: str = "STMT-1") -> bytes:
    account = stdnum_iban.compact(account_iban)
    entries = []
    for n, line in enumerate(lines, start=1):
        reference = escape(line.reference or f"{day:%Y%m%d}{n:07d}")
        party, agent = ("Dbtr", "DbtrAgt") if line.credit else ("Cdtr", "CdtrAgt")
        if line.structured:
            remittance = ("<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
                          f"<Ref>{escape(line.communication)}</Ref></CdtrRefInf></Strd></RmtInf>")
        elif line.communication:
            remittance = f"<RmtInf><Ustrd>{escape(line.communication)}</Ustrd></RmtInf>"
        else:
            remittance = ""
        iban = f"<{party}Acct><Id><IBAN>{escape(line.payer_iban)}</IBAN></Id></{party}Acct>" if line.payer_iban else ""
        bic = (f"<RltdAgts><{agent}><FinInstnId><BIC>{escape(line.payer_bic)}</BIC></FinInstnId></{agent}></RltdAgts>"
               if line.payer_bic else "")
        entries.append(f"""
      <Ntry>
        <NtryRef>{n}</NtryRef>
        <Amt Ccy="EUR">{line.amount:.2f}</Amt>
        <CdtDbtInd>{"CRDT" if line.credit else "DBIT"}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{day.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{reference}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><AcctSvcrRef>{reference}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <Amt Ccy="EUR">{line.amount:.2f}</Amt>
            <RltdPties><{party}><Nm>{escape(line.payer_name)}</Nm></{party}>{iban}</RltdPties>
            {bic}
            {remittance}
          </TxDtls>
        </NtryDtls>
      </Ntry>""")
    credit = sum((line.amount for line in lines if line.credit), Decimal(0))
    debit = sum((line.amount for line in lines if not line.credit), Decimal(0))
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>{escape(statement_id)}</MsgId>
      <CreDtTm>{day.isoformat()}T18:00:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>{escape(statement_id)}</Id>
      <ElctrncSeqNb>1</ElctrncSeqNb>
      <CreDtTm>{day.isoformat()}T18:00:00</CreDtTm>
      <Acct>
        <Id><IBAN>{account}</IBAN></Id>
        <Ccy>EUR</Ccy>
        <Ownr><Nm>{escape(holder)}</Nm></Ownr>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">{abs(credit - debit):.2f}</Amt><CdtDbtInd>{"CRDT" if credit >= debit else "DBIT"}</CdtDbtInd>
        <Dt><Dt>{day.isoformat()}</Dt></Dt>
      </Bal>
      <TxsSummry>
        <TtlNtries><NbOfNtries>{len(lines)}</NbOfNtries></TtlNtries>
      </TxsSummry>{"".join(entries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""
    return xml.encode("utf-8")
