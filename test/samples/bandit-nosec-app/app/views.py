"""A deliberately vulnerable view whose HIGH finding the developer silenced in the source."""
import subprocess


def ping(host):
    # command injection: shell=True with user input (B602, HIGH), marked as "reviewed" in the code
    return subprocess.check_output("ping -c 1 " + host, shell=True)  # nosec


def ping_again(host):
    # the same finding, silenced for this one test id only
    return subprocess.check_output("ping -c 2 " + host, shell=True)  # nosec B602
