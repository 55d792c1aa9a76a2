#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `pxectl settings`: limits are shown (text and JSON) and set, several at
# once, sizes with K/M/G; every mistake is refused with exit 1, a message
# naming the setting and the range, and nothing changed.
#
#   +-------------+
#   | $ns1        |
#   +-------------+
set -e
source "$(dirname "$0")/lib.sh"

ensure_module
netns_add "$ns1"
setting() { pxe1 -j settings show | json_query "j[0]['$1']"; }

behaviour settings_show_prints_every_limit
expect_eq "settings -j fields" \
	"image_memory image_memory_used tftp_sessions tftp_sessions_active tftp_per_client tftp_blksize tftp_windowsize tftp_port_min tftp_port_max" \
	"$(pxe1 -j settings show | json_query '" ".join(j[0])')"
out=$(pxe1 settings show)
[[ $out =~ ^image_memory\ [0-9]+\ image_memory_used\ 0\ tftp_sessions\ [0-9]+ ]] ||
	{ log "settings show printed: $out"; false; }
expect_eq "settings alone shows" "$out" "$(pxe1 settings)"

behaviour settings_set_changes_several_limits
pxe1 settings set image-memory 96M tftp-sessions 100 tftp-per-client 3 \
	tftp-blksize 1468 tftp-windowsize 8 tftp-ports 50000-50999
expect_eq "image_memory" $((96 << 20)) "$(setting image_memory)"
expect_eq "tftp_sessions" 100 "$(setting tftp_sessions)"
expect_eq "tftp_per_client" 3 "$(setting tftp_per_client)"
expect_eq "tftp_blksize" 1468 "$(setting tftp_blksize)"
expect_eq "tftp_windowsize" 8 "$(setting tftp_windowsize)"
expect_eq "tftp ports" "50000 50999" "$(setting tftp_port_min) $(setting tftp_port_max)"
pxe1 settings set image-memory 1G
expect_eq "image_memory in G" $((1 << 30)) "$(setting image_memory)"
expect_eq "limits in -j stats" "$((1 << 30)) 100" \
	"$(pxe1 -j stats | json_query '"%d %d" % (j[0]["image_memory_limit"], j[0]["tftp_sessions_limit"])')"

behaviour errors_name_the_setting_and_change_nothing
before=$(pxe1 -j settings show)
expect_error "pxectl: settings set: nothing to set: give one or more of image-memory, tftp-sessions, tftp-per-client, tftp-blksize, tftp-windowsize, tftp-ports" \
	pxe1 settings set
expect_error "pxectl: settings set: invalid tftp-sessions '0' (expected a number from 1 to 4294967295)" \
	pxe1 settings set tftp-per-client 5 tftp-sessions 0
expect_error "pxectl: settings set: invalid tftp-blksize '100' (expected a number from 512 to 65464)" \
	pxe1 settings set tftp-blksize 100
expect_error "pxectl: settings set: invalid tftp-windowsize '65536' (expected a number from 1 to 65535)" \
	pxe1 settings set tftp-windowsize 65536
expect_error "pxectl: settings set: invalid image-memory '12Q' (expected bytes, optionally with K, M, G or T)" \
	pxe1 settings set image-memory 12Q
expect_error "pxectl: settings set: unknown argument 'color'" pxe1 settings set color 1
expect_error "pxectl: settings set: 'tftp-sessions' needs a value" \
	pxe1 settings set tftp-sessions
expect_error "pxectl: settings show: unknown argument 'all'" pxe1 settings show all
expect_eq "settings after the refusals" "$before" "$(pxe1 -j settings show)"

behaviour settings_set_needs_net_admin
expect_error_containing "Operation not permitted" \
	n1 "${NOBODY[@]}" "$PXECTL" settings set tftp-sessions 5
expect_eq "settings after the refused set" "$before" "$(pxe1 -j settings show)"
