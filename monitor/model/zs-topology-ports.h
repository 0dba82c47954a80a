/* zs-topology-ports.h: moving a topology's tcp ports to free ones
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

/* Gives every tcp port the topology uses (in binds and connects, whatever
 * the host) a port the OS reports free now on 127.0.0.1, the same new
 * port wherever the old one appears, so links stay links. For tests and
 * for running a topology next to programs that hold its ports. */
gboolean  zs_topology_remap_tcp_ports  (ZsTopology  *topology,
                                        GError     **error);
/* The same for the tcp ports `topology` uses and `before` does not (an
 * edit's new endpoints): the ports the user wrote stay. */
gboolean  zs_topology_remap_new_tcp_ports (ZsTopology  *topology,
                                           ZsTopology  *before,
                                           GError     **error);

G_END_DECLS
