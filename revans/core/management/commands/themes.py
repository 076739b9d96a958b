import json
import sys

from django.core.management.base import BaseCommand, CommandError

from revans.reports.themes import group_into_themes


class Command(BaseCommand):
    help = (
        "Group short texts (one per line: issue titles or learning notes) into themes and print "
        'JSON: {"themes": [{"label": ..., "lines": [0-based line numbers]}]}. Every line is in '
        'exactly one theme; empty lines and lines that fit no theme are in "other" (last).'
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="a UTF-8 text file, or - for stdin")

    def handle(self, *args, **options):
        source = options["input"]
        if source == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(source, encoding="utf-8") as file:
                    text = file.read()
            except OSError as error:
                raise CommandError(f"Cannot read {source}: {error.strerror}") from error
            except UnicodeDecodeError as error:
                raise CommandError(f"{source} is not UTF-8 text") from error
        # splitlines() would also split on form feeds and the like; line numbers follow \n.
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # the newline that ends the last line starts no new one
        themes = group_into_themes([line.rstrip("\r") for line in lines])
        result = {"themes": [{"label": t.label, "lines": list(t.indexes)} for t in themes]}
        self.stdout.write(json.dumps(result, ensure_ascii=False))
