# SPDX-License-Identifier: ISC
# The modules of each trust domain call each other without circles
# (scripts/modgraph: C functions, from the objects); sourced by tests/run.
echo "layout: no dependency circles"
hv_objs=$(ls "$B"/hv/obj/hv/*.o "$B"/hv/obj/lib/*.o | grep -v '/boot\.o$\|/entry\.o$')
check layout/hv-no-circles 0 -- scripts/modgraph --check $hv_objs
check layout/tools-no-circles 0 -- scripts/modgraph --check "$B"/host/tools/*.o \
	"$B"/host/tools/proc/*.o "$B"/host/tools/hv/*.o "$B"/host/lib/*.o
# The libOS core only: libos/net/ has one circle left (the network step and the event
# loop's wait), and the file system's modules (libos/fs*) some among themselves.
libos_objs=$(ls "$B"/libos/*.o | grep -v '/fs[^/]*\.o$')
check layout/libos-no-circles 0 -- scripts/modgraph --check $libos_objs
