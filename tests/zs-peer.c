/* zs-peer.c: a plain ZeroMQ program, outside any topology, for the tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   zs-peer TYPE bind|connect ENDPOINT COUNT [TEXT]
 *
 * Prints "ENDPOINT <resolved>" once bound or connected, then one line per
 * message received, "MSG" and each frame in hex, and "DONE <received>" at
 * the end. Senders (PUSH, PUB, REQ, DEALER) send COUNT messages TEXT; REP
 * and ROUTER answer each request with TEXT (ROUTER keeps the envelope).
 * Nothing waits forever: every receive gives up after 10 s, or after
 * $ZS_PEER_TIMEOUT_MS (a receiver that counts what it got by then).
 * An XPUB first waits for a subscription, then sends. Optional:
 * $ZS_PEER_SUBSCRIBE (a SUB's prefix, default everything), $ZS_PEER_ID
 * (the routing id), $ZS_PEER_IPV6 (tcp over IPv6), $ZS_PEER_HOLD (after
 * DONE, keep the socket open until standard input ends). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static const struct {
  const char *name;
  int         type;
} types[] = {
  { "PUSH", ZMQ_PUSH }, { "PULL", ZMQ_PULL }, { "PUB", ZMQ_PUB }, { "SUB", ZMQ_SUB },
  { "REQ", ZMQ_REQ }, { "REP", ZMQ_REP }, { "DEALER", ZMQ_DEALER }, { "ROUTER", ZMQ_ROUTER },
  { "XPUB", ZMQ_XPUB },
};

/* Receives one message, printing its frames; its frames are kept in
 * frames (at most 8) for a reply. Returns the number of frames, 0 on timeout. */
static int
recv_message (void      *socket,
              zmq_msg_t *frames)
{
  int n = 0, more = 1;

  while (more && n < 8)
    {
      zmq_msg_init (&frames[n]);
      if (zmq_msg_recv (&frames[n], socket, 0) == -1)
        {
          while (n >= 0)
            zmq_msg_close (&frames[n--]);
          return 0;
        }
      more = zmq_msg_more (&frames[n]);
      n++;
    }
  printf ("MSG");
  for (int f = 0; f < n; f++)
    {
      printf (" ");
      for (size_t i = 0; i < zmq_msg_size (&frames[f]); i++)
        printf ("%02x", ((unsigned char *) zmq_msg_data (&frames[f]))[i]);
    }
  printf ("\n");
  fflush (stdout);
  return n;
}

int
main (int   argc,
      char *argv[])
{
  void *ctx = zmq_ctx_new ();
  void *socket = NULL;
  int type = -1, count, received = 0, timeout = 10000, rc;
  const char *text;
  char endpoint[256];
  size_t size = sizeof endpoint;

  if (argc < 5)
    return 2;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp (types[i].name, argv[1]) == 0)
      type = types[i].type;
  count = atoi (argv[4]);
  if (getenv ("ZS_PEER_TIMEOUT_MS") != NULL)
    timeout = atoi (getenv ("ZS_PEER_TIMEOUT_MS"));
  text = argc > 5 ? argv[5] : "World";
  socket = zmq_socket (ctx, type);
  zmq_setsockopt (socket, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  if (type == ZMQ_SUB)
    {
      const char *topic = getenv ("ZS_PEER_SUBSCRIBE") != NULL ? getenv ("ZS_PEER_SUBSCRIBE") : "";

      zmq_setsockopt (socket, ZMQ_SUBSCRIBE, topic, strlen (topic));
    }
  if (getenv ("ZS_PEER_IPV6") != NULL)
    {
      int on = 1;

      zmq_setsockopt (socket, ZMQ_IPV6, &on, sizeof on);
    }
  if (getenv ("ZS_PEER_ID") != NULL)
    zmq_setsockopt (socket, ZMQ_ROUTING_ID, getenv ("ZS_PEER_ID"), strlen (getenv ("ZS_PEER_ID")));
  rc = strcmp (argv[2], "bind") == 0 ? zmq_bind (socket, argv[3]) : zmq_connect (socket, argv[3]);
  if (rc != 0)
    return 1;
  zmq_getsockopt (socket, ZMQ_LAST_ENDPOINT, endpoint, &size);
  printf ("ENDPOINT %s\n", endpoint);
  fflush (stdout);
  if (type == ZMQ_XPUB)
    {
      zmq_msg_t frames[8];
      int n = recv_message (socket, frames);

      for (int f = 0; f < n; f++)
        zmq_msg_close (&frames[f]);
    }

  for (int i = 0; i < count; i++)
    {
      zmq_msg_t frames[8];
      int n = 0;

      if (type == ZMQ_PUSH || type == ZMQ_PUB || type == ZMQ_XPUB || type == ZMQ_REQ || type == ZMQ_DEALER)
        {
          if (type == ZMQ_DEALER)
            zmq_send (socket, "", 0, ZMQ_SNDMORE);
          zmq_send (socket, text, strlen (text), 0);
          if (type != ZMQ_REQ && type != ZMQ_DEALER)
            continue;
        }
      n = recv_message (socket, frames);
      if (n == 0)
        break;
      received++;
      if (type == ZMQ_REP || type == ZMQ_ROUTER)
        {
          /* The envelope back as it came, then the answer. */
          for (int f = 0; f + 1 < n; f++)
            zmq_msg_send (&frames[f], socket, ZMQ_SNDMORE);
          zmq_send (socket, text, strlen (text), 0);
        }
      for (int f = 0; f < n; f++)
        zmq_msg_close (&frames[f]);
    }
  printf ("DONE %d\n", received);
  fflush (stdout);
  if (getenv ("ZS_PEER_HOLD") != NULL)
    while (getchar () != EOF)
      ;
  /* As a plain program ends: the default linger flushes what is queued. */
  zmq_close (socket);
  zmq_ctx_term (ctx);
  return 0;
}
