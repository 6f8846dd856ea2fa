/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal: every change, with who made it and what it was before and
 * after, in a SHA-256 hash chain. Entry n's hash covers entry n-1's hash,
 * so editing, deleting, reordering or (against a printed head) truncating
 * entries is detected by kdx_journal_verify().
 *
 *   hash(n) = SHA-256(hash(n-1) ‖ canonical(n))
 *   canonical(n) = id ␟ time ␟ os_user ␟ actor ␟ actor_name ␟ entity ␟
 *                  entity_id ␟ action ␟ summary ␟ SHA-256(before ␞ after)
 *
 * The payload enters through its own digest.
 *
 * Erasure of a person (kdx-privacy.h) rewrites the entries that hold their
 * strings and keeps the stored hashes, so the entries after them still
 * link. An entry of entity "erasure" lists each rewritten entry with its
 * new link, SHA-256(hash(n-1) ‖ canonical(n)) over the rewritten content:
 * verification accepts a listed entry whose recomputed link is exactly
 * that, and only while the erasure entry that lists it verifies itself.
 */
#define G_LOG_DOMAIN "kdx-journal"

#include "config.h"

#include "kdx-journal.h"
#include "kdx-query-model.h"
#include "kdx-store-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_EXTENSIONS_CODE 1
#endif

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define SEP '\x1f'

G_DEFINE_QUARK (kdx-journal-error-quark, kdx_journal_error)

struct _KdxJournalEntry
{
  GObject  parent_instance;

  gint64   id;
  char    *time;
  char    *os_user;
  char    *actor;
  char    *actor_name;
  char    *entity;
  char    *entity_id;
  char    *action;
  char    *summary;
  char    *before;
  char    *after;
  char    *hash;
};

G_DEFINE_FINAL_TYPE (KdxJournalEntry, kdx_journal_entry, G_TYPE_OBJECT)

static void
kdx_journal_entry_finalize (GObject *object)
{
  KdxJournalEntry *self = (KdxJournalEntry *)object;

  g_free (self->time);
  g_free (self->os_user);
  g_free (self->actor);
  g_free (self->actor_name);
  g_free (self->entity);
  g_free (self->entity_id);
  g_free (self->action);
  g_free (self->summary);
  g_free (self->before);
  g_free (self->after);
  g_free (self->hash);

  G_OBJECT_CLASS (kdx_journal_entry_parent_class)->finalize (object);
}

static void
kdx_journal_entry_class_init (KdxJournalEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_journal_entry_finalize;
}

static void
kdx_journal_entry_init (KdxJournalEntry *self)
{
}

#define COLUMNS "id, time, os_user, actor, actor_name, entity, entity_id, action, summary, " \
                "before, after, hash"

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return kdx_store_column_text (stmt, column);
}

static gpointer
entry_from_row (sqlite3_stmt *stmt)
{
  KdxJournalEntry *self = g_object_new (KDX_TYPE_JOURNAL_ENTRY, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->time = column_dup (stmt, 1);
  self->os_user = column_dup (stmt, 2);
  self->actor = column_dup (stmt, 3);
  self->actor_name = column_dup (stmt, 4);
  self->entity = column_dup (stmt, 5);
  self->entity_id = column_dup (stmt, 6);
  self->action = column_dup (stmt, 7);
  self->summary = column_dup (stmt, 8);
  self->before = column_dup (stmt, 9);
  self->after = column_dup (stmt, 10);
  self->hash = column_dup (stmt, 11);

  return self;
}

gint64 kdx_journal_entry_get_id (KdxJournalEntry *self) { return self->id; }
const char *kdx_journal_entry_get_time (KdxJournalEntry *self) { return self->time; }
const char *kdx_journal_entry_get_os_user (KdxJournalEntry *self) { return self->os_user; }
const char *kdx_journal_entry_get_actor (KdxJournalEntry *self) { return self->actor; }
const char *kdx_journal_entry_get_actor_name (KdxJournalEntry *self) { return self->actor_name; }
const char *kdx_journal_entry_get_entity (KdxJournalEntry *self) { return self->entity; }
const char *kdx_journal_entry_get_entity_id (KdxJournalEntry *self) { return self->entity_id; }
const char *kdx_journal_entry_get_action (KdxJournalEntry *self) { return self->action; }
const char *kdx_journal_entry_get_summary (KdxJournalEntry *self) { return self->summary; }
const char *kdx_journal_entry_get_before (KdxJournalEntry *self) { return self->before; }
const char *kdx_journal_entry_get_after (KdxJournalEntry *self) { return self->after; }
const char *kdx_journal_entry_get_hash (KdxJournalEntry *self) { return self->hash; }

char *
kdx_journal_entry_dup_local_time (KdxJournalEntry *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (KDX_IS_JOURNAL_ENTRY (self), NULL);

  utc = g_date_time_new_from_iso8601 (self->time, NULL);
  if (utc == NULL)
    return g_strdup (self->time);
  local = g_date_time_to_local (utc);

  /* Translators: date and time of a journal entry, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
}

void
kdx_journal_filter_clear (KdxJournalFilter *filter)
{
  g_clear_pointer (&filter->entity, g_free);
  g_clear_pointer (&filter->actor, g_free);
  g_clear_pointer (&filter->search, g_free);
  filter->from_unix = 0;
  filter->until_unix = 0;
}

/* SHA-256 with the processor's SHA extensions, for verification: 1,000,000
 * entries hash 800 MB, which GChecksum takes 1.9 s for and these
 * instructions a fifth of that. Appending uses GChecksum; that both agree
 * is what every verification of a written journal shows. Without the
 * extensions, verification uses GChecksum as well. */

static const guint32 sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static gboolean force_gchecksum;

static gboolean
sha256_hw_available (void)
{
#ifdef HAVE_SHA_EXTENSIONS_CODE
  static gsize checked;
  static gboolean available;

  if (g_once_init_enter (&checked))
    {
      unsigned int a, b, c, d;

      /* SSSE3 and SSE4.1 (leaf 1, ECX bits 9 and 19), SHA (leaf 7, EBX bit 29). */
      available = __get_cpuid (1, &a, &b, &c, &d) && (c & (1u << 9)) && (c & (1u << 19)) &&
                  __get_cpuid_count (7, 0, &a, &b, &c, &d) && (b & (1u << 29));
      g_once_init_leave (&checked, 1);
    }

  return available && !force_gchecksum;
#else
  return FALSE;
#endif
}

#ifdef HAVE_SHA_EXTENSIONS_CODE
/* The state is held as ABEF and CDGH, the order the instructions take. */
__attribute__ ((target ("sha,ssse3,sse4.1")))
static void
sha256_blocks_hw (guint32       state[8],
                  const guint8 *data,
                  gsize         n_blocks)
{
  const __m128i byte_swap = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128 ((const __m128i *) &state[0]);
  __m128i hgfe = _mm_loadu_si128 ((const __m128i *) &state[4]);
  __m128i cdab = _mm_shuffle_epi32 (dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32 (hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8 (cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16 (efgh, cdab, 0xF0);

  for (; n_blocks > 0; n_blocks--, data += 64)
    {
      __m128i abef_before = abef, cdgh_before = cdgh;
      __m128i w[4];

      for (guint i = 0; i < 4; i++)
        w[i] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16 * i)), byte_swap);

      /* 16 groups of four rounds; w holds the next 16 words of the
       * message schedule, each group's four replaced by those of the group
       * four ahead. */
#pragma GCC unroll 16
      for (guint g = 0; g < 16; g++)
        {
          __m128i words = _mm_add_epi32 (w[g & 3], _mm_loadu_si128 ((const __m128i *) &sha256_k[4 * g]));

          cdgh = _mm_sha256rnds2_epu32 (cdgh, abef, words);
          abef = _mm_sha256rnds2_epu32 (abef, cdgh, _mm_shuffle_epi32 (words, 0x0E));
          if (g < 12)
            {
              __m128i next = _mm_sha256msg1_epu32 (w[g & 3], w[(g + 1) & 3]);

              next = _mm_add_epi32 (next, _mm_alignr_epi8 (w[(g + 3) & 3], w[(g + 2) & 3], 4));
              w[g & 3] = _mm_sha256msg2_epu32 (next, w[(g + 3) & 3]);
            }
        }

      abef = _mm_add_epi32 (abef, abef_before);
      cdgh = _mm_add_epi32 (cdgh, cdgh_before);
    }

  {
    __m128i feba = _mm_shuffle_epi32 (abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32 (cdgh, 0xB1);

    _mm_storeu_si128 ((__m128i *) &state[0], _mm_blend_epi16 (feba, dchg, 0xF0));
    _mm_storeu_si128 ((__m128i *) &state[4], _mm_alignr_epi8 (dchg, feba, 8));
  }
}
#endif

/* SHA-256 of @data as 64 lowercase hex digits, as GChecksum writes it. */
static void
sha256_hex (const char *data,
            gsize       length,
            char        hex[65])
{
  static const char digits[] = "0123456789abcdef";
  guint32 state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };

#ifdef HAVE_SHA_EXTENSIONS_CODE
  if (sha256_hw_available ())
    {
      guint8 tail[128] = { 0 };
      gsize full = length / 64, rest = length % 64;
      gsize n_tail = rest + 9 <= 64 ? 64 : 128;
      guint64 bits = (guint64) length * 8;

      sha256_blocks_hw (state, (const guint8 *) data, full);
      memcpy (tail, data + full * 64, rest);
      tail[rest] = 0x80;
      for (guint i = 0; i < 8; i++)
        tail[n_tail - 1 - i] = (guint8) (bits >> (8 * i));
      sha256_blocks_hw (state, tail, n_tail / 64);

      for (guint i = 0; i < 8; i++)
        for (guint j = 0; j < 8; j++)
          hex[8 * i + j] = digits[(state[i] >> (28 - 4 * j)) & 0xf];
      hex[64] = '\0';
      return;
    }
#endif

  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

    (void) state;
    g_checksum_update (checksum, (const guchar *) data, length);
    memcpy (hex, g_checksum_get_string (checksum), 65);
  }
}

void
_kdx_journal_sha256_hex (const char *data,
                         gsize       length,
                         gboolean    hardware,
                         char        hex[65])
{
  force_gchecksum = !hardware;
  sha256_hex (data, length, hex);
  force_gchecksum = FALSE;
}

gboolean
_kdx_journal_sha256_has_hardware (void)
{
  return sha256_hw_available ();
}

/* The chain arithmetic, shared by append and verify. */
typedef struct
{
  GChecksum *payload;
  GChecksum *link;
  GString   *canonical;
  /* Verification with the SHA extensions */
  gboolean   fast;
  GString   *payload_text;
  char       payload_hex[65];
  char       link_hex[65];
} ChainHasher;

static void
chain_hasher_init (ChainHasher *hasher,
                   gboolean     verifying)
{
  hasher->payload = g_checksum_new (G_CHECKSUM_SHA256);
  hasher->link = g_checksum_new (G_CHECKSUM_SHA256);
  hasher->canonical = g_string_sized_new (256);
  hasher->fast = verifying && sha256_hw_available ();
  hasher->payload_text = g_string_sized_new (1024);
}

static void
chain_hasher_clear (ChainHasher *hasher)
{
  g_checksum_free (hasher->payload);
  g_checksum_free (hasher->link);
  g_string_free (hasher->canonical, TRUE);
  g_string_free (hasher->payload_text, TRUE);
}

static void
append_field (GString    *s,
              const char *value)
{
  /* NULL and "" differ: NULL is written as a lone NUL marker. */
  if (value == NULL)
    g_string_append_c (s, '\0');
  else
    g_string_append (s, value);
  g_string_append_c (s, SEP);
}

/* Fields in the order of COLUMNS: id … after; returns the hex hash. */
static const char *
chain_hasher_link (ChainHasher *hasher,
                   const char  *prev_hash,
                   gint64       id,
                   const char  *fields[10])
{
  GString *c = hasher->canonical;
  const char *payload_hex;

  if (hasher->fast)
    {
      GString *p = hasher->payload_text;

      /* As GChecksum reads them below: each up to its first NUL. */
      g_string_truncate (p, 0);
      if (fields[8] != NULL)
        g_string_append (p, fields[8]);
      g_string_append_c (p, '\x1e');
      if (fields[9] != NULL)
        g_string_append (p, fields[9]);
      sha256_hex (p->str, p->len, hasher->payload_hex);
      payload_hex = hasher->payload_hex;
    }
  else
    {
      g_checksum_reset (hasher->payload);
      if (fields[8] != NULL)
        g_checksum_update (hasher->payload, (const guchar *) fields[8], -1);
      g_checksum_update (hasher->payload, (const guchar *) "\x1e", 1);
      if (fields[9] != NULL)
        g_checksum_update (hasher->payload, (const guchar *) fields[9], -1);
      payload_hex = g_checksum_get_string (hasher->payload);
    }

  g_string_truncate (c, 0);
  g_string_append (c, prev_hash);
  g_string_append_printf (c, "%" G_GINT64_FORMAT "%c", id, SEP);
  for (guint i = 0; i < 8; i++)
    append_field (c, fields[i]);
  g_string_append (c, payload_hex);

  if (hasher->fast)
    {
      sha256_hex (c->str, c->len, hasher->link_hex);
      return hasher->link_hex;
    }

  g_checksum_reset (hasher->link);
  g_checksum_update (hasher->link, (const guchar *) c->str, c->len);

  return g_checksum_get_string (hasher->link);
}

gboolean
kdx_journal_get_head (KdxStore  *store,
                      gint64    *count,
                      char     **hash)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1",
                                   NULL);
  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (count)
        *count = 0;
      if (hash)
        *hash = g_strdup (GENESIS_HASH);
      return TRUE;
    }

  if (count)
    *count = sqlite3_column_int64 (stmt, 0);
  if (hash)
    *hash = column_dup (stmt, 1);

  return TRUE;
}

gboolean
kdx_journal_append (KdxStore    *store,
                    const char  *entity,
                    const char  *entity_id,
                    const char  *action,
                    const char  *summary,
                    const char  *before_json,
                    const char  *after_json,
                    GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *time = kdx_store_now_iso8601 ();
  g_autofree char *actor_name = NULL;
  const char *actor;
  const char *os_user = g_get_user_name ();
  const char *fields[10];
  ChainHasher hasher;
  gint64 count = 0;
  gboolean ok;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (entity != NULL && action != NULL, FALSE);

  if (!kdx_store_in_transaction (store))
    {
      g_set_error_literal (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_NOT_IN_TRANSACTION,
                           "Journal entries are written inside a transaction");
      g_return_val_if_reached (FALSE);
    }

  if (!kdx_journal_get_head (store, &count, &prev_hash))
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  /* The last id comes from the file; there must be a next one. */
  if (count < 0 || count == G_MAXINT64)
    {
      g_set_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN,
                   _("Journal entry %" PRId64 " does not match its hash; "
                     "the journal was edited outside Kodex from this entry on"), count);
      return FALSE;
    }

  actor = kdx_store_get_actor (store);
  actor_name = kdx_store_dup_actor_name (store);

  fields[0] = time;
  fields[1] = os_user;
  fields[2] = actor;
  fields[3] = actor_name;
  fields[4] = entity;
  fields[5] = entity_id;
  fields[6] = action;
  fields[7] = summary;
  fields[8] = before_json;
  fields[9] = after_json;

  chain_hasher_init (&hasher, FALSE);

  stmt = kdx_store_prepare_cached (store,
                                   "INSERT INTO journal (" COLUMNS ") "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                   error);
  if (stmt == NULL)
    {
      chain_hasher_clear (&hasher);
      return FALSE;
    }

  sqlite3_bind_int64 (stmt, 1, count + 1);
  for (guint i = 0; i < 10; i++)
    sqlite3_bind_text (stmt, (int) i + 2, fields[i], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, chain_hasher_link (&hasher, prev_hash, count + 1, fields),
                     -1, SQLITE_TRANSIENT);

  ok = kdx_store_step_done (store, stmt, error);
  chain_hasher_clear (&hasher);

  if (ok)
    kdx_store_mark_changed (store, "journal", count + 1);

  return ok;
}

/* From this many entries on, the chain is recomputed in parallel. */
#define PARALLEL_MIN_ENTRIES 50000
#define MAX_WORKERS 4

static gint64 parallel_min_entries = PARALLEL_MIN_ENTRIES;
static guint parallel_stretches;  /* 0: one per processor */

void
_kdx_journal_set_parallel (gint64 min_entries,
                           guint  n_stretches)
{
  parallel_min_entries = min_entries > 0 ? min_entries : PARALLEL_MIN_ENTRIES;
  parallel_stretches = MIN (n_stretches, MAX_WORKERS);
}

/* One stretch of the chain: the entries with ids in (@after, @last], or
 * all from @after on when @last is 0. Every entry is checked against the
 * stored hash of the one before it. If all entries up to n match that
 * way, the stored hashes up to n are exactly the chain recomputed from
 * the start, so the first entry that fails here is the first entry that
 * fails a recomputation from the start: stretches can be checked apart,
 * and in parallel, and still name the same entry. */
typedef struct
{
  KdxStore     *store;        /* whose connection, or from which to open one */
  gboolean      own;          /* open a reader of @store (in a worker) */
  gint64        after;
  gint64        last;
  GCancellable *cancellable;
  GHashTable   *listings;     /* id → Listing, shared and read-only; NULL: none */

  gint64        first_bad;    /* 0: none */
  gint64        checked_to;   /* the last id that matched */
  GError       *error;
} Stretch;

/* A rewritten entry as an erasure entry lists it. */
typedef struct
{
  gint64 id;
  gint64 listed_by;   /* the erasure entry */
  char   link[65];    /* its link over the rewritten content */
} Listing;

/* Whether @id was rewritten by an erasure into what it holds now: its
 * link over its content, @computed, is the one the erasure lists. Then
 * its stored hash stands, and the entries after it link to that. */
static gboolean
listing_vouches (GHashTable *listings,
                 gint64      id,
                 const char *computed)
{
  Listing *listing;

  if (listings == NULL)
    return FALSE;
  listing = g_hash_table_lookup (listings, &id);

  return listing != NULL && strcmp (listing->link, computed) == 0;
}

/* [has a start][has an end] */
static const char *stretch_sql[2][2] = {
  { "SELECT " COLUMNS " FROM journal ORDER BY id",
    "SELECT " COLUMNS " FROM journal WHERE id <= :last ORDER BY id" },
  { "SELECT " COLUMNS " FROM journal WHERE id > :after ORDER BY id",
    "SELECT " COLUMNS " FROM journal WHERE id > :after AND id <= :last ORDER BY id" },
};

static void
stretch_fail (Stretch    *stretch,
              gint64      first_bad,
              GError     *error)
{
  stretch->first_bad = first_bad;
  stretch->error = error;
}

static void
stretch_run (Stretch *stretch)
{
  g_autoptr(KdxStore) reader = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  KdxStore *store = stretch->store;
  char prev_hash[65];
  ChainHasher hasher;
  gint64 expect_id = stretch->after + 1;
  GError *error = NULL;
  int rc;

  if (stretch->own)
    {
      reader = kdx_store_open_reader (stretch->store, &error);
      if (reader == NULL)
        {
          stretch_fail (stretch, 0, error);
          return;
        }
      store = reader;
    }

  memcpy (prev_hash, GENESIS_HASH, 65);
  if (stretch->after > 0)
    {
      g_autoptr(sqlite3_stmt) before = NULL;

      before = kdx_store_prepare (store, "SELECT hash FROM journal WHERE id = ?1", &error);
      if (before == NULL)
        {
          stretch_fail (stretch, 0, error);
          return;
        }
      sqlite3_bind_int64 (before, 1, stretch->after);
      /* A missing or odd hash there is the previous stretch's finding. */
      if (sqlite3_step (before) == SQLITE_ROW && sqlite3_column_text (before, 0) != NULL)
        g_strlcpy (prev_hash, (const char *) sqlite3_column_text (before, 0), sizeof prev_hash);
    }

  /* The first stretch has no lower bound: an entry with an id below 1 is
   * found as a recomputation from the start would find it. */
  stmt = kdx_store_prepare (store, stretch_sql[stretch->after > 0][stretch->last > 0], &error);
  if (stmt == NULL)
    {
      stretch_fail (stretch, 0, error);
      return;
    }
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":after"), stretch->after);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":last"), stretch->last);

  chain_hasher_init (&hasher, TRUE);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *stored = (const char *) sqlite3_column_text (stmt, 11);
      const char *fields[10];
      const char *computed;

      if ((expect_id & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (stretch->cancellable, &error))
        {
          stretch_fail (stretch, 0, error);
          break;
        }

      if (id != expect_id)
        {
          stretch_fail (stretch, expect_id,
                        g_error_new (KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_MISSING_ENTRY,
                                     _("Journal entry %" PRId64 " is missing; "
                                       "the journal was edited outside Kodex"), expect_id));
          break;
        }

      for (guint i = 0; i < 10; i++)
        fields[i] = (const char *) sqlite3_column_text (stmt, (int) i + 1);

      computed = chain_hasher_link (&hasher, prev_hash, id, fields);
      if (stored == NULL || strcmp (computed, stored) != 0)
        {
          /* Rewritten by an erasure: the entries after it link to the
           * hash it had before. */
          if (stored != NULL && strlen (stored) == 64 &&
              listing_vouches (stretch->listings, id, computed))
            {
              memcpy (prev_hash, stored, 65);
              expect_id++;
              continue;
            }
          stretch_fail (stretch, id,
                        g_error_new (KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN,
                                     _("Journal entry %" PRId64 " does not match its hash; "
                                       "the journal was edited outside Kodex from this entry on"),
                                     id));
          break;
        }

      memcpy (prev_hash, computed, 65);
      expect_id++;
    }

  chain_hasher_clear (&hasher);
  stretch->checked_to = expect_id - 1;

  if (stretch->error != NULL)
    return;

  /* A journal that cannot be read to its end does not verify. */
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, &error);
      stretch_fail (stretch, 0, error);
      return;
    }

  /* A stretch that ends early has lost its last entries, since entries
   * after it exist: the stretches end where the journal's last id was. */
  if (stretch->last > 0 && expect_id <= stretch->last)
    stretch_fail (stretch, expect_id,
                  g_error_new (KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_MISSING_ENTRY,
                               _("Journal entry %" PRId64 " is missing; "
                                 "the journal was edited outside Kodex"), expect_id));
}

static gpointer
stretch_thread (gpointer data)
{
  stretch_run (data);

  return NULL;
}

/* The first finding in journal order wins; among errors without an entry
 * (cannot read, cancelled), the earliest stretch's. */
static Stretch *
first_finding (Stretch *stretches,
               guint    n)
{
  Stretch *found = NULL;

  for (guint i = 0; i < n; i++)
    {
      Stretch *s = &stretches[i];

      if (s->error == NULL)
        continue;
      if (found == NULL ||
          (s->first_bad > 0 && (found->first_bad == 0 || s->first_bad < found->first_bad)))
        found = s;
      if (found->first_bad == 0)
        break;
    }

  return found;
}

static gboolean
is_link_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;

  return TRUE;
}

/* Reads the listing of one erasure entry into @listings, keeping the
 * listings already there (from later erasures, which rewrote the entry
 * last). An entry can only be listed by a later one. Whatever does not
 * read as a listing is left out: that entry is then checked like any
 * other. */
static void
add_listings (GHashTable *listings,
              gint64      listed_by,
              const char *after)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *member;
  JsonArray *rewritten;

  if (after == NULL || !json_parser_load_from_data (parser, after, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  member = json_object_get_member (json_node_get_object (root), "rewritten");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return;
  rewritten = json_node_get_array (member);

  for (guint i = 0; i < json_array_get_length (rewritten); i++)
    {
      JsonNode *node = json_array_get_element (rewritten, i);
      JsonObject *item;
      JsonNode *id_node;
      JsonNode *link_node;
      const char *link;
      Listing *listing;
      gint64 id;

      /* Whatever the text holds: no assumption about its types. */
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      id_node = json_object_get_member (item, "id");
      link_node = json_object_get_member (item, "digest");
      if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
          json_node_get_value_type (id_node) != G_TYPE_INT64 ||
          link_node == NULL || !JSON_NODE_HOLDS_VALUE (link_node) ||
          json_node_get_value_type (link_node) != G_TYPE_STRING)
        continue;
      link = json_node_get_string (link_node);
      if (!is_link_hex (link))
        continue;
      id = json_node_get_int (id_node);
      if (id < 1 || id >= listed_by || g_hash_table_contains (listings, &id))
        continue;

      listing = g_new0 (Listing, 1);
      listing->id = id;
      listing->listed_by = listed_by;
      memcpy (listing->link, link, 65);
      g_hash_table_insert (listings, &listing->id, listing);
    }
}

/* The listings of the erasure entries (few, found through the index on
 * entity) that verify themselves: an erasure entry counts only if its
 * own link matches its stored hash (or a later erasure rewrote it into
 * what it holds), so that a listing edited or added behind Kodex's back
 * vouches for nothing, and the entry it names fails as any edited entry
 * does. Latest first, since a later erasure may have rewritten an
 * earlier erasure entry (the actor's name). NULL: none. */
#define ROW_COLUMNS 12

static void
row_free (char **row)
{
  for (guint i = 0; i < ROW_COLUMNS; i++)
    g_free (row[i]);
  g_free (row);
}

static GHashTable *
read_listings (KdxStore  *store,
               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) prev = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(GHashTable) listings = NULL;
  ChainHasher hasher;
  int rc;

  stmt = kdx_store_prepare (store, "SELECT " COLUMNS " FROM journal WHERE entity = 'erasure' "
                                   "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* id, the ten fields and the hash, as verification reads them */
      char **row = g_new0 (char *, ROW_COLUMNS);

      row[0] = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      for (guint i = 1; i < ROW_COLUMNS; i++)
        row[i] = g_strdup ((const char *) sqlite3_column_text (stmt, (int) i));
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
  if (rows->len == 0)
    return NULL;

  prev = kdx_store_prepare (store, "SELECT hash FROM journal WHERE id = ?1", error);
  if (prev == NULL)
    return NULL;

  listings = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  chain_hasher_init (&hasher, FALSE);
  for (guint r = rows->len; r > 0; r--)
    {
      char **row = g_ptr_array_index (rows, r - 1);
      gint64 id = g_ascii_strtoll (row[0], NULL, 10);
      char prev_hash[65];
      const char *computed;

      memcpy (prev_hash, GENESIS_HASH, 65);
      sqlite3_reset (prev);
      sqlite3_bind_int64 (prev, 1, id - 1);
      if (id > 1 && sqlite3_step (prev) == SQLITE_ROW && sqlite3_column_text (prev, 0) != NULL)
        g_strlcpy (prev_hash, (const char *) sqlite3_column_text (prev, 0), sizeof prev_hash);

      computed = chain_hasher_link (&hasher, prev_hash, id, (const char **) &row[1]);
      if (g_strcmp0 (computed, row[11]) == 0 || listing_vouches (listings, id, computed))
        add_listings (listings, id, row[10]);
    }
  chain_hasher_clear (&hasher);

  if (g_hash_table_size (listings) == 0)
    return NULL;

  return g_steal_pointer (&listings);
}

/* @busy: processors that other work (the integrity check) keeps busy
 * meanwhile */
static gboolean
verify_chain (KdxStore      *store,
              gint64         expected_count,
              const char    *expected_hash,
              guint          busy,
              gint64        *first_bad,
              gint64        *n_checked,
              GCancellable  *cancellable,
              GError       **error)
{
  Stretch stretches[MAX_WORKERS];
  GThread *threads[MAX_WORKERS] = { NULL };
  Stretch *found;
  g_autoptr(GHashTable) listings = NULL;
  g_autoptr(GError) listings_error = NULL;
  gint64 last_id = 0;
  gint64 checked;
  guint n = 1;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (first_bad)
    *first_bad = 0;

  listings = read_listings (store, &listings_error);
  if (listings_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&listings_error));
      return FALSE;
    }

  /* Inside a transaction only this connection sees the newest entries. */
  if (!kdx_store_in_transaction (store))
    {
      g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, "SELECT max(id) FROM journal", error);

      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        last_id = sqlite3_column_int64 (stmt, 0);
      if (last_id >= parallel_min_entries)
        n = parallel_stretches > 0 ? parallel_stretches
                                   : (guint) CLAMP ((int) g_get_num_processors () - (int) busy,
                                                    1, MAX_WORKERS);
    }

  memset (stretches, 0, sizeof stretches);
  for (guint i = 0; i < n; i++)
    {
      stretches[i].store = store;
      stretches[i].own = i > 0;
      stretches[i].after = i == 0 ? 0 : last_id / n * i;
      stretches[i].last = i + 1 == n ? 0 : last_id / n * (i + 1);
      stretches[i].cancellable = cancellable;
      stretches[i].listings = listings;
    }
  for (guint i = 1; i < n; i++)
    threads[i] = g_thread_new ("kdx-verify", stretch_thread, &stretches[i]);
  stretch_run (&stretches[0]);
  for (guint i = 1; i < n; i++)
    g_thread_join (threads[i]);

  found = first_finding (stretches, n);
  checked = found != NULL ? MAX (found->first_bad - 1, 0) : stretches[n - 1].checked_to;
  for (guint i = 0; i < n; i++)
    if (&stretches[i] != found)
      g_clear_error (&stretches[i].error);

  if (n_checked)
    *n_checked = checked;

  if (found != NULL)
    {
      if (first_bad)
        *first_bad = found->first_bad;
      g_propagate_error (error, found->error);
      return FALSE;
    }

  if (expected_count > 0)
    {
      if (checked < expected_count)
        {
          g_set_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_TRUNCATED,
                       _("The journal ends at entry %" PRId64 ", but the report "
                         "showed %" PRId64 " entries; entries were removed"),
                       checked, expected_count);
          if (first_bad)
            *first_bad = checked + 1;
          return FALSE;
        }
      if (expected_hash != NULL)
        {
          g_autoptr(sqlite3_stmt) at = kdx_store_prepare (store,
                                                          "SELECT hash FROM journal WHERE id = ?1",
                                                          error);
          if (at == NULL)
            return FALSE;
          sqlite3_bind_int64 (at, 1, expected_count);
          if (sqlite3_step (at) != SQLITE_ROW ||
              g_ascii_strcasecmp ((const char *) sqlite3_column_text (at, 0), expected_hash) != 0)
            {
              g_set_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN,
                           _("Journal entry %" PRId64 " does not have the hash the "
                             "report showed; the journal was rewritten"), expected_count);
              if (first_bad)
                *first_bad = expected_count;
              return FALSE;
            }
        }
    }

  return TRUE;
}

gboolean
kdx_journal_verify (KdxStore      *store,
                    gint64         expected_count,
                    const char    *expected_hash,
                    gint64        *first_bad,
                    gint64        *n_checked,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  return verify_chain (store, expected_count, expected_hash, 0, first_bad, n_checked,
                       cancellable, error);
}

typedef struct
{
  KdxStore *store;
  GString  *report;
  GError   *error;
  gboolean  ok;
} Check;

static gpointer
check_thread (gpointer data)
{
  Check *check = data;
  g_autoptr(KdxStore) reader = kdx_store_open_reader (check->store, &check->error);

  check->ok = reader != NULL && kdx_store_check (reader, check->report, &check->error);

  return NULL;
}

gboolean
kdx_journal_verify_workspace (KdxStore      *store,
                              gint64         expected_count,
                              const char    *expected_hash,
                              GString       *report,
                              gint64        *first_bad,
                              gint64        *n_checked,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GError) chain_error = NULL;
  Check check = { store, report, NULL, FALSE };
  GThread *thread;
  gboolean chain_ok;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  /* The check reads every page of the file once and the chain every
   * journal entry: side by side they take the time of the longer one. The
   * check keeps one processor; the chain's stretches share the others. */
  thread = g_thread_new ("kdx-check", check_thread, &check);
  chain_ok = verify_chain (store, expected_count, expected_hash, 1, first_bad, n_checked,
                           cancellable, &chain_error);
  g_thread_join (thread);

  /* A damaged file is reported as such, whatever its chain says. */
  if (!check.ok)
    {
      if (first_bad)
        *first_bad = 0;
      g_propagate_error (error, check.error);
      return FALSE;
    }
  if (!chain_ok)
    {
      g_propagate_error (error, g_steal_pointer (&chain_error));
      return FALSE;
    }

  return TRUE;
}

KdxJournalEntry *
kdx_journal_load (KdxStore *store,
                  gint64    id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = kdx_store_prepare (store, "SELECT " COLUMNS " FROM journal WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return entry_from_row (stmt);
}

GListModel *
kdx_journal_model_new (KdxStore *store)
{
  KdxQueryModel *model = kdx_query_model_new (store, KDX_TYPE_JOURNAL_ENTRY, entry_from_row);
  KdxJournalFilter empty = { 0 };

  kdx_query_model_watch (model, "journal");
  kdx_journal_model_set_filter (G_LIST_MODEL (model), &empty);

  return G_LIST_MODEL (model);
}

static void
add_param (GPtrArray *params,
           GVariant  *value)
{
  g_ptr_array_add (params, g_variant_ref_sink (value));
}

static char *
like_pattern (const char *text)
{
  GString *s = g_string_new ("%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');

  return g_string_free (s, FALSE);
}

static char *
unix_to_iso (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000000Z");
}

/* The filter becomes a WHERE clause of fixed fragments; the values are
 * bound, never spliced into the SQL. */
void
kdx_journal_model_set_filter (GListModel             *model,
                              const KdxJournalFilter *filter)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(GString) where = g_string_new ("1");
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  g_autofree char *limit = NULL;

  g_return_if_fail (KDX_IS_QUERY_MODEL (model));

  if (filter->entity != NULL && *filter->entity)
    {
      add_param (params, g_variant_new_string (filter->entity));
      g_string_append_printf (where, " AND entity = ?%u", params->len);
    }
  if (filter->actor != NULL && *filter->actor)
    {
      g_autofree char *like = like_pattern (filter->actor);

      add_param (params, g_variant_new_string (like));
      g_string_append_printf (where,
                              " AND (actor_name LIKE ?%u ESCAPE '\\' OR os_user LIKE ?%u ESCAPE '\\')",
                              params->len, params->len);
    }
  if (filter->search != NULL && *filter->search)
    {
      g_autofree char *like = like_pattern (filter->search);

      add_param (params, g_variant_new_string (like));
      g_string_append_printf (where,
                              " AND (summary LIKE ?%u ESCAPE '\\' OR entity_id LIKE ?%u ESCAPE '\\'"
                              " OR action LIKE ?%u ESCAPE '\\' OR before LIKE ?%u ESCAPE '\\'"
                              " OR after LIKE ?%u ESCAPE '\\')",
                              params->len, params->len, params->len, params->len, params->len);
    }
  if (filter->from_unix > 0)
    {
      g_autofree char *iso = unix_to_iso (filter->from_unix);

      add_param (params, g_variant_new_string (iso));
      g_string_append_printf (where, " AND time >= ?%u", params->len);
    }
  if (filter->until_unix > 0)
    {
      g_autofree char *iso = unix_to_iso (filter->until_unix);

      add_param (params, g_variant_new_string (iso));
      g_string_append_printf (where, " AND time < ?%u", params->len);
    }

  limit = g_strdup_printf (" ORDER BY id DESC LIMIT ?%u OFFSET ?%u", params->len + 1, params->len + 2);
  count_sql = g_strconcat ("SELECT count(*) FROM journal WHERE ", where->str, NULL);
  page_sql = g_strconcat ("SELECT " COLUMNS " FROM journal WHERE ", where->str, limit, NULL);

  kdx_query_model_set_query (KDX_QUERY_MODEL (model), count_sql, page_sql, params);
}

GStrv
kdx_journal_dup_entities (KdxStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  stmt = kdx_store_prepare (store, "SELECT DISTINCT entity FROM journal "
                                  "WHERE entity IS NOT NULL ORDER BY entity", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (builder);
}

char *
kdx_journal_value_json (const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
kdx_journal_lock_json (const KdxLockHolder *holder)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, holder->user);
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, holder->host);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, holder->pid);
  json_builder_set_member_name (builder, "since");
  json_builder_add_int_value (builder, holder->since);
  json_builder_set_member_name (builder, "heartbeat");
  json_builder_add_int_value (builder, holder->heartbeat);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* ------------------------------------------------------------------ */
/* Erasure of a person's strings                                      */

/* The strings to look for, longest first (an e-mail before a name it
 * begins with), without empty or repeated ones. */
static GPtrArray *
needles_new (const char *const *strings)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      if (strings[i][0] == '\0')
        continue;
      for (guint j = 0; j < needles->len && !seen; j++)
        seen = g_ascii_strcasecmp (g_ptr_array_index (needles, j), strings[i]) == 0;
      if (!seen)
        g_ptr_array_add (needles, g_strdup (strings[i]));
    }
  for (guint i = 1; i < needles->len; i++)
    for (guint j = i; j > 0 && strlen (needles->pdata[j]) > strlen (needles->pdata[j - 1]); j--)
      {
        gpointer swap = needles->pdata[j];

        needles->pdata[j] = needles->pdata[j - 1];
        needles->pdata[j - 1] = swap;
      }

  return needles;
}

static gboolean
is_word_char_at (const char *p)
{
  gunichar c;

  if (*p == '\0')
    return FALSE;
  c = g_utf8_get_char_validated (p, -1);

  return c < (gunichar) -2 && g_unichar_isalnum (c);
}

/* Where @needle begins or ends with a letter or digit, the text must not
 * go on with one there: "Ann" is not in "Annual". */
static gboolean
word_edges_hold (const char *text,
                 const char *at,
                 const char *needle,
                 gsize       length)
{
  const char *last = g_utf8_find_prev_char (needle, needle + length);

  if (at > text && is_word_char_at (needle))
    {
      const char *prev = g_utf8_find_prev_char (text, at);

      if (prev != NULL && is_word_char_at (prev))
        return FALSE;
    }
  if (last != NULL && is_word_char_at (last) && is_word_char_at (at + length))
    return FALSE;

  return TRUE;
}

/* @text with each whole occurrence of a needle (ASCII letters in either
 * case) replaced by @replacement; NULL when there is none. */
static char *
replace_in_text (const char *text,
                 GPtrArray  *needles,
                 const char *replacement)
{
  GString *out = NULL;
  const char *copied = text;

  for (const char *p = text; *p; p++)
    {
      if (((guchar) *p & 0xc0) == 0x80)
        continue;
      for (guint i = 0; i < needles->len; i++)
        {
          const char *needle = g_ptr_array_index (needles, i);
          gsize length = strlen (needle);

          if (g_ascii_strncasecmp (p, needle, length) != 0 ||
              !word_edges_hold (text, p, needle, length))
            continue;
          if (out == NULL)
            out = g_string_new (NULL);
          g_string_append_len (out, copied, p - copied);
          g_string_append (out, replacement);
          p += length - 1;
          copied = p + 1;
          break;
        }
    }

  if (out == NULL)
    return NULL;
  g_string_append (out, copied);

  return g_string_free (out, FALSE);
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *value)
{
  *value = 0;
  if (end - p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return FALSE;
      *value = *value * 16 + (gunichar) digit;
    }

  return TRUE;
}

/* The text of a JSON string between its quotes; NULL when it is not one
 * that a C string can hold. */
static char *
json_unescape (const char *raw,
               gsize       length)
{
  g_autoptr(GString) out = g_string_sized_new (length);
  const char *end = raw + length;

  for (const char *p = raw; p < end; p++)
    {
      gunichar c;

      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (++p >= end)
        return NULL;
      switch (*p)
        {
        case '"': case '\\': case '/': g_string_append_c (out, *p); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          if (!read_hex4 (p + 1, end, &c))
            return NULL;
          p += 4;
          if (c >= 0xd800 && c < 0xdc00)
            {
              gunichar low;

              if (end - p < 7 || p[1] != '\\' || p[2] != 'u' || !read_hex4 (p + 3, end, &low) ||
                  low < 0xdc00 || low >= 0xe000)
                return NULL;
              c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
              p += 6;
            }
          else if ((c >= 0xdc00 && c < 0xe000) || c == 0)
            return NULL;
          g_string_append_unichar (out, c);
          break;
        default:
          return NULL;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* @text as a JSON string, quoted, as json-glib writes it. */
static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

/* @json with the needles replaced inside its strings only, so that it
 * stays the JSON it was; NULL when there is none. *@malformed when a
 * string does not end. */
static char *
replace_in_json (const char *json,
                 GPtrArray  *needles,
                 const char *replacement,
                 gboolean   *malformed)
{
  g_autoptr(GString) out = NULL;
  const char *copied = json;
  const char *p = json;

  *malformed = FALSE;
  while (*p)
    {
      const char *start;
      const char *end;
      g_autofree char *value = NULL;
      g_autofree char *replaced = NULL;

      if (*p != '"')
        {
          p++;
          continue;
        }
      start = p + 1;
      for (end = start; *end && *end != '"'; end++)
        if (*end == '\\' && end[1] != '\0')
          end++;
      if (*end != '"')
        {
          *malformed = TRUE;
          return NULL;
        }

      value = json_unescape (start, end - start);
      replaced = value ? replace_in_text (value, needles, replacement) : NULL;
      if (replaced != NULL)
        {
          g_autofree char *quoted = json_quote (replaced);

          if (out == NULL)
            out = g_string_new (NULL);
          g_string_append_len (out, copied, p - copied);
          g_string_append (out, quoted);
          copied = end + 1;
        }
      p = end + 1;
    }

  if (out == NULL)
    return NULL;
  g_string_append (out, copied);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The rewritten summary, actor name, before and after of an entry, NULL
 * where nothing changes; FALSE when nothing does. Before and after are
 * JSON when they look like it: only their strings change. */
static gboolean
erase_fields (const char *const  values[4],
              GPtrArray         *needles,
              const char        *replacement,
              char              *rewritten[4])
{
  gboolean any = FALSE;

  for (guint i = 0; i < 4; i++)
    {
      const char *value = values[i];

      rewritten[i] = NULL;
      if (value == NULL)
        continue;
      if (i >= 2)
        {
          const char *first = value;
          gboolean malformed = TRUE;

          while (g_ascii_isspace (*first))
            first++;
          if (*first == '{' || *first == '[' || *first == '"')
            rewritten[i] = replace_in_json (value, needles, replacement, &malformed);
          if (malformed)
            rewritten[i] = replace_in_text (value, needles, replacement);
        }
      else
        rewritten[i] = replace_in_text (value, needles, replacement);
      any |= rewritten[i] != NULL;
    }

  return any;
}

static void
clear_fields (char *fields[4])
{
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&fields[i], g_free);
}

/* The entries whose summary, actor name, before or after may hold a
 * needle, as it is or as a JSON string holds it; LIKE is as blind to
 * ASCII case as the matching. */
static sqlite3_stmt *
prepare_candidates (KdxStore   *store,
                    GPtrArray  *needles,
                    GError    **error)
{
  g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new ("SELECT id, summary, actor_name, before, after "
                                         "FROM journal WHERE 0");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < needles->len; i++)
    {
      const char *needle = g_ptr_array_index (needles, i);
      g_autofree char *quoted = json_quote (needle);
      g_autofree char *escaped = g_strndup (quoted + 1, strlen (quoted) - 2);

      g_ptr_array_add (patterns, like_pattern (needle));
      if (strcmp (escaped, needle) != 0)
        g_ptr_array_add (patterns, like_pattern (escaped));
    }
  for (guint i = 1; i <= patterns->len; i++)
    g_string_append_printf (sql, " OR summary LIKE ?%1$u ESCAPE '\\' OR actor_name LIKE ?%1$u "
                            "ESCAPE '\\' OR before LIKE ?%1$u ESCAPE '\\' OR after LIKE ?%1$u "
                            "ESCAPE '\\'", i);
  g_string_append (sql, " ORDER BY id");

  stmt = kdx_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < patterns->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (patterns, i), -1, SQLITE_TRANSIENT);

  return stmt;
}

GArray *
kdx_journal_find_strings (KdxStore           *store,
                          const char *const  *strings,
                          GError            **error)
{
  g_autoptr(GPtrArray) needles = needles_new (strings);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (needles->len == 0)
    return g_steal_pointer (&ids);

  stmt = prepare_candidates (store, needles, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *values[4];
      char *rewritten[4];

      for (guint i = 0; i < 4; i++)
        values[i] = (const char *) sqlite3_column_text (stmt, (int) i + 1);
      if (erase_fields (values, needles, "", rewritten))
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
      clear_fields (rewritten);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/* Rewrites entry @id and puts its new link in @link. */
static gboolean
erase_entry (KdxStore    *store,
             gint64       id,
             GPtrArray   *needles,
             const char  *replacement,
             ChainHasher *hasher,
             char         link[65],
             GError     **error)
{
  g_autoptr(KdxCachedStmt) read = NULL;
  g_autoptr(KdxCachedStmt) update = NULL;
  g_autoptr(KdxCachedStmt) prev = NULL;
  char prev_hash[65];
  char *rewritten[4] = { NULL };
  const char *fields[10];
  const char *values[4];
  char *row[10];
  gboolean ok = FALSE;

  read = kdx_store_prepare_cached (store, "SELECT " COLUMNS " FROM journal WHERE id = ?1", error);
  update = kdx_store_prepare_cached (store, "UPDATE journal SET summary = ?2, actor_name = ?3, "
                                            "before = ?4, after = ?5 WHERE id = ?1", error);
  prev = kdx_store_prepare_cached (store, "SELECT hash FROM journal WHERE id = ?1", error);
  if (read == NULL || update == NULL || prev == NULL)
    return FALSE;

  /* The bytes as they are, as verification reads them. */
  sqlite3_bind_int64 (read, 1, id);
  if (sqlite3_step (read) != SQLITE_ROW)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  for (guint i = 0; i < 10; i++)
    row[i] = g_strdup ((const char *) sqlite3_column_text (read, (int) i + 1));

  memcpy (prev_hash, GENESIS_HASH, 65);
  if (id > 1)
    {
      sqlite3_bind_int64 (prev, 1, id - 1);
      if (sqlite3_step (prev) == SQLITE_ROW && sqlite3_column_text (prev, 0) != NULL)
        g_strlcpy (prev_hash, (const char *) sqlite3_column_text (prev, 0), sizeof prev_hash);
    }

  /* summary, actor_name, before, after */
  values[0] = row[7];
  values[1] = row[3];
  values[2] = row[8];
  values[3] = row[9];
  erase_fields (values, needles, replacement, rewritten);
  for (guint i = 0; i < 4; i++)
    if (rewritten[i] != NULL)
      values[i] = rewritten[i];

  sqlite3_bind_int64 (update, 1, id);
  for (guint i = 0; i < 4; i++)
    kdx_store_bind_text_or_null (update, (int) i + 2, values[i]);
  if (!kdx_store_step_done (store, update, error))
    goto out;

  for (guint i = 0; i < 10; i++)
    fields[i] = row[i];
  fields[7] = values[0];
  fields[3] = values[1];
  fields[8] = values[2];
  fields[9] = values[3];
  memcpy (link, chain_hasher_link (hasher, prev_hash, id, fields), 65);
  ok = TRUE;

out:
  clear_fields (rewritten);
  for (guint i = 0; i < 10; i++)
    g_free (row[i]);

  return ok;
}

gboolean
kdx_journal_erase_strings (KdxStore           *store,
                           const char         *entity_id,
                           const char         *summary,
                           const char *const  *strings,
                           const char         *replacement,
                           guint              *n_rewritten,
                           GError            **error)
{
  g_autoptr(GPtrArray) needles = needles_new (strings);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *after = NULL;
  ChainHasher hasher;
  gboolean ok = TRUE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (replacement != NULL, FALSE);

  if (!kdx_store_in_transaction (store))
    {
      g_set_error_literal (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_NOT_IN_TRANSACTION,
                           "Journal entries are written inside a transaction");
      g_return_val_if_reached (FALSE);
    }

  ids = kdx_journal_find_strings (store, strings, error);
  if (ids == NULL)
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pseudonym");
  json_builder_add_string_value (builder, replacement);
  json_builder_set_member_name (builder, "rewritten");
  json_builder_begin_array (builder);

  chain_hasher_init (&hasher, FALSE);
  for (guint i = 0; ok && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      char link[65];

      ok = erase_entry (store, id, needles, replacement, &hasher, link, error);
      if (!ok)
        break;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "digest");
      json_builder_add_string_value (builder, link);
      json_builder_end_object (builder);
    }
  chain_hasher_clear (&hasher);
  if (!ok)
    return FALSE;

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  after = json_to_string (root, FALSE);

  if (!kdx_journal_append (store, "erasure", entity_id, "erase", summary, NULL, after, error))
    return FALSE;

  if (n_rewritten)
    *n_rewritten = ids->len;

  return TRUE;
}
