"""intake: pre-screening of dossiers for the Kazakhstan register of special social services."""

import logging

__version__ = "0.1.0"

# pypdf logs what it repairs in a damaged PDF as warnings («Object 32 0 not defined.», «EOF marker not at start
# of line»: real doc 31 printed 30 such lines on stderr). What could not be examined is reported as a finding;
# the library's own log stays out of the clerk's terminal and the gate's output (its errors still show).
logging.getLogger("pypdf").setLevel(logging.ERROR)
