"""`python manage.py propose_mentors SLUG [--json] [--all] [--save]`

Prints the mentor pairing proposal the optimiser makes for a program: each pair with its
score and reasons, the total, and the residents left over with the reason. Without
`--save` nothing is stored; with it, the proposal is saved as a draft for the director to
review on the proposal page (the same as "Propose mentor pairs" there).
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mentoring.models import PairingProposal
from mentoring.selectors.pairing import pairing_preview
from mentoring.services.pairing import pairing_propose
from programs.models import Program, Resident


def proposal_report(proposal: PairingProposal) -> dict:
    """Return a stored proposal as the command prints it: residents and mentors by the
    program's own ids (`R0031`, `F001`), so the output joins with the program's data."""
    pairs = proposal.pairs.select_related("resident", "mentor").order_by(
        "mentor__name", "resident__name"
    )
    leftover = Resident.objects.in_bulk([int(row[0]) for row in proposal.unpaired])
    return {
        "program": proposal.program.slug,
        "proposal_id": proposal.pk,
        "scope": proposal.scope,
        "keep_existing": proposal.keep_existing,
        "pairs": [
            {
                "resident_id": p.resident.external_id,
                "resident": p.resident.name,
                "pgy": p.resident.pgy,
                "mentor_id": p.mentor.external_id,
                "mentor": p.mentor.name,
                "score": p.score,
                "reasons": list(p.reasons),
                "kept": p.kept,
                "locked": p.locked,
            }
            for p in pairs
        ],
        "total_score": proposal.total_score,
        "unpaired": [
            {
                "resident_id": leftover[int(rid)].external_id if int(rid) in leftover else None,
                "resident": leftover[int(rid)].name if int(rid) in leftover else "?",
                "reason": reason,
            }
            for rid, reason in proposal.unpaired
        ],
    }


def preview_report(program: Program, scope: str) -> dict:
    """Return the optimiser's proposal, unsaved, in the same shape as `proposal_report`."""
    result, candidates = pairing_preview(program=program, scope=scope)
    pairs = []
    for p in result.pairs:
        resident = candidates.residents[int(p.mentee_id)]
        mentor = candidates.faculty[int(p.mentor_id)]
        pairs.append(
            {
                "resident_id": resident.external_id,
                "resident": resident.name,
                "pgy": resident.pgy,
                "mentor_id": mentor.external_id,
                "mentor": mentor.name,
                "score": p.score,
                "reasons": list(p.reasons),
                "kept": p.kept,
                "locked": p.locked,
            }
        )
    pairs.sort(key=lambda row: (row["mentor"], row["resident"]))
    return {
        "program": program.slug,
        "proposal_id": None,
        "scope": scope,
        "keep_existing": True,
        "pairs": pairs,
        "total_score": result.total_score,
        "unpaired": [
            {
                "resident_id": candidates.residents[int(rid)].external_id,
                "resident": candidates.residents[int(rid)].name,
                "reason": reason,
            }
            for rid, reason in result.unpaired
        ],
    }


class Command(BaseCommand):
    help = "Print (and with --save, store) the mentor pairing proposal for a program."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The program's slug.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everyone",
            help="Consider every resident (current pairs are kept unless their mentor is "
            "not active), not only those without a mentor.",
        )
        parser.add_argument(
            "--save", action="store_true", help="Store the proposal as a draft to review."
        )

    def handle(self, *args, slug, as_json=False, everyone=False, save=False, **options):
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"No program with the slug {slug!r}.")
        scope = PairingProposal.Scope.ALL if everyone else PairingProposal.Scope.UNPAIRED
        if save:
            try:
                proposal = pairing_propose(program=program, by=None, scope=scope)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            report = proposal_report(proposal)
        else:
            report = preview_report(program, scope)
        if as_json:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self._print(report)

    def _print(self, report: dict) -> None:
        write = self.stdout.write
        saved = f" (saved as draft #{report['proposal_id']})" if report["proposal_id"] else ""
        write(f"Mentor pairing for {report['program']}, scope {report['scope']}{saved}")
        for pair in report["pairs"]:
            flags = " [kept]" if pair["kept"] else ""
            write(
                f"  {pair['resident']} (PGY-{pair['pgy']}) -> {pair['mentor']}: "
                f"{pair['score']}{flags} — {'; '.join(pair['reasons'])}"
            )
        write(f"Total score {report['total_score']}, {len(report['pairs'])} pairs.")
        if report["unpaired"]:
            write(f"Left over ({len(report['unpaired'])}):")
            for row in report["unpaired"]:
                write(f"  {row['resident']}: {row['reason']}")
