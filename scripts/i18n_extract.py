import json, sys
sys.path.insert(0, '.')
from babel.messages.extract import extract_from_file
from intake.rules import RULES_LIST, GROUNDS_27
from intake.workdays import _CHAIN  # noqa
ids = {}  # msgid -> plural or None
def add(m, pl=None):
    ids.setdefault(m, pl)
for r in RULES_LIST:
    add(r.title); add(r.checks); add(r.fix)
for g in GROUNDS_27.values(): add(g)
for _, what, _ in _CHAIN: add(what)
KW = {'_': None, 'gettext': None, 'ngettext': (1, 2), '_n': None}
for path in ['intake/reports.py', 'intake/notice.py', 'intake/i18n.py', 'intake/cli.py']:
    for lineno, msg, comments, ctx in extract_from_file('python', path, keywords=KW):
        if isinstance(msg, tuple): add(msg[0], msg[1])
        else: add(msg)
for path in ['intake/templates/_report_body.html.j2']:
    for lineno, msg, comments, ctx in extract_from_file('jinja2.ext:babel_extract', path, keywords=KW, options={'extensions': 'jinja2.ext.i18n'}):
        if isinstance(msg, tuple): add(msg[0], msg[1])
        elif msg: add(msg)
json.dump(ids, open('/tmp/i18n/ids.json', 'w'), ensure_ascii=False, indent=1)
print(len(ids))
