/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo workspace: Brenner & Hoffmann Industriebedarf GmbH, a German
 * B2B distributor of industrial supplies with an inside and a field sales
 * force, key accounts, marketing, a small data team and an AI-ethics
 * committee. The people are invented.
 */
#define G_LOG_DOMAIN "kdx-demo"

#include "config.h"

#include "kdx-demo.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"

#include <glib/gi18n-lib.h>

#define ORGANISATION "Brenner & Hoffmann Industriebedarf GmbH"
#define DOMAIN       "brenner-hoffmann.de"

typedef struct
{
  const char *name;
  const char *department_de;
  const char *department_en;
  const char *role_de;
  const char *role_en;
  int         manager;    /* index into the table, -1 for none */
  gboolean    committee;
  gboolean    active;
} DemoPerson;

/* Index:                                                     manager, committee, active */
static const DemoPerson small_org[] = {
  /*  0 */ { "Katharina Brenner", "Geschäftsführung", "Management", "Geschäftsführerin", "Managing Director", -1, FALSE, TRUE },
  /*  1 */ { "Thomas Hoffmann", "Geschäftsführung", "Management", "Geschäftsführer Vertrieb", "Managing Director Sales", -1, TRUE, TRUE },
  /*  2 */ { "Sabine Krüger", "Vertrieb Innendienst", "Inside Sales", "Leiterin Vertriebsinnendienst", "Head of Inside Sales", 1, FALSE, TRUE },
  /*  3 */ { "Jonas Weber", "Vertrieb Innendienst", "Inside Sales", "Vertriebsmitarbeiter Innendienst", "Inside Sales Representative", 2, FALSE, TRUE },
  /*  4 */ { "Leonie Schäfer", "Vertrieb Innendienst", "Inside Sales", "Vertriebsmitarbeiterin Innendienst", "Inside Sales Representative", 2, FALSE, TRUE },
  /*  5 */ { "Mehmet Yılmaz", "Vertrieb Innendienst", "Inside Sales", "Vertriebsmitarbeiter Innendienst", "Inside Sales Representative", 2, FALSE, TRUE },
  /*  6 */ { "Anna Lehmann", "Vertrieb Innendienst", "Inside Sales", "Teamleiterin Angebotsmanagement", "Team Lead Quotations", 2, FALSE, TRUE },
  /*  7 */ { "Felix Braun", "Vertrieb Innendienst", "Inside Sales", "Angebotsmanager", "Quotation Manager", 6, FALSE, TRUE },
  /*  8 */ { "Markus Vogel", "Vertrieb Außendienst", "Field Sales", "Leiter Vertriebsaußendienst", "Head of Field Sales", 1, FALSE, TRUE },
  /*  9 */ { "Julia Neumann", "Vertrieb Außendienst", "Field Sales", "Gebietsverkaufsleiterin Nord", "Area Sales Manager North", 8, FALSE, TRUE },
  /* 10 */ { "Stefan Wolf", "Vertrieb Außendienst", "Field Sales", "Gebietsverkaufsleiter Süd", "Area Sales Manager South", 8, FALSE, TRUE },
  /* 11 */ { "Christina Richter", "Vertrieb Außendienst", "Field Sales", "Gebietsverkaufsleiterin West", "Area Sales Manager West", 8, FALSE, TRUE },
  /* 12 */ { "Piotr Nowak", "Vertrieb Außendienst", "Field Sales", "Außendienstmitarbeiter", "Field Sales Representative", 9, FALSE, TRUE },
  /* 13 */ { "Lena Zimmermann", "Vertrieb Außendienst", "Field Sales", "Außendienstmitarbeiterin", "Field Sales Representative", 10, FALSE, TRUE },
  /* 14 */ { "Andreas Hartmann", "Vertrieb Außendienst", "Field Sales", "Außendienstmitarbeiter", "Field Sales Representative", 11, FALSE, FALSE },
  /* 15 */ { "Miriam Koch", "Key Account Management", "Key Account Management", "Leiterin Key Account Management", "Head of Key Account Management", 1, FALSE, TRUE },
  /* 16 */ { "Daniel Schulz", "Key Account Management", "Key Account Management", "Key Account Manager Automotive", "Key Account Manager Automotive", 15, FALSE, TRUE },
  /* 17 */ { "Eva Becker", "Key Account Management", "Key Account Management", "Key Account Managerin Maschinenbau", "Key Account Manager Machinery", 15, FALSE, TRUE },
  /* 18 */ { "Tobias Fischer", "Marketing", "Marketing", "Leiter Marketing", "Head of Marketing", 0, FALSE, TRUE },
  /* 19 */ { "Sophie Wagner", "Marketing", "Marketing", "Marketing-Automation-Managerin", "Marketing Automation Manager", 18, FALSE, TRUE },
  /* 20 */ { "Nils Petersen", "Marketing", "Marketing", "Content-Manager", "Content Manager", 18, FALSE, TRUE },
  /* 21 */ { "Aylin Demir", "Customer Success", "Customer Success", "Leiterin Customer Success", "Head of Customer Success", 1, FALSE, TRUE },
  /* 22 */ { "Lukas Meyer", "Customer Success", "Customer Success", "Teamleiter Kundenservice", "Team Lead Customer Service", 21, FALSE, TRUE },
  /* 23 */ { "Hannah Schmitt", "Customer Success", "Customer Success", "Kundenservice-Agentin", "Customer Service Agent", 22, FALSE, TRUE },
  /* 24 */ { "Kevin Lange", "Customer Success", "Customer Success", "Kundenservice-Agent", "Customer Service Agent", 22, FALSE, TRUE },
  /* 25 */ { "Fatma Aydın", "Customer Success", "Customer Success", "Kundenservice-Agentin", "Customer Service Agent", 22, FALSE, TRUE },
  /* 26 */ { "Oliver Krause", "Vertriebssteuerung", "Sales Operations", "Leiter Vertriebssteuerung", "Head of Sales Operations", 1, FALSE, TRUE },
  /* 27 */ { "Laura Schneider", "Vertriebssteuerung", "Sales Operations", "CRM-Administratorin", "CRM Administrator", 26, FALSE, TRUE },
  /* 28 */ { "Moritz Kaiser", "Vertriebssteuerung", "Sales Operations", "Pricing-Analyst", "Pricing Analyst", 26, FALSE, TRUE },
  /* 29 */ { "Dr. Ingrid Baumann", "IT & Data Science", "IT & Data Science", "Leiterin Data Science", "Head of Data Science", 0, TRUE, TRUE },
  /* 30 */ { "Yusuf Özdemir", "IT & Data Science", "IT & Data Science", "Data Scientist", "Data Scientist", 29, FALSE, TRUE },
  /* 31 */ { "Clara Hoffmann", "IT & Data Science", "IT & Data Science", "Machine-Learning-Ingenieurin", "Machine Learning Engineer", 29, FALSE, TRUE },
  /* 32 */ { "Ralf Schröder", "IT & Data Science", "IT & Data Science", "IT-Sicherheitsbeauftragter", "IT Security Officer", 0, FALSE, TRUE },
  /* 33 */ { "Dr. Petra Engel", "Recht & Compliance", "Legal & Compliance", "Compliance-Beauftragte, Vorsitz Ethikgremium", "Compliance Officer, Chair of the Ethics Committee", 0, TRUE, TRUE },
  /* 34 */ { "Martin Seidel", "Recht & Compliance", "Legal & Compliance", "Datenschutzbeauftragter", "Data Protection Officer", 33, TRUE, TRUE },
  /* 35 */ { "Susanne Kühn", "Personal", "Human Resources", "Leiterin Personal", "Head of Human Resources", 0, TRUE, TRUE },
  /* 36 */ { "Jan Möller", "Personal", "Human Resources", "Personalentwickler und Trainer", "Learning & Development Trainer", 35, FALSE, TRUE },
  /* 37 */ { "Birgit Frank", "Betriebsrat", "Works Council", "Betriebsratsvorsitzende", "Chair of the Works Council", -1, TRUE, TRUE },
  /* 38 */ { "Emil Jansen", "Vertrieb Innendienst", "Inside Sales", "Werkstudent Vertrieb", "Working Student Sales", 2, FALSE, TRUE },
  /* 39 */ { "Greta Hansen", "Marketing", "Marketing", "Praktikantin Marketing", "Marketing Intern", 18, FALSE, FALSE },
};

static const char *first_names[] = {
  "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hannes", "Ida", "Jakob",
  "Katrin", "Leon", "Mia", "Noah", "Olga", "Paul", "Quirin", "Rosa", "Simon", "Tanja",
  "Ulrich", "Vera", "Wiebke", "Xaver", "Yasemin", "Zoe", "Jürgen", "Gülşen", "Björn", "Małgorzata",
};

static const char *last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
  "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
  "Werner", "Krause", "Meier", "Lehmann", "Yılmaz", "Kaya", "Nowak", "Kowalski", "Öztürk",
};

static const struct { const char *de, *en; } large_departments[] = {
  { "Vertrieb Innendienst", "Inside Sales" },
  { "Vertrieb Außendienst", "Field Sales" },
  { "Key Account Management", "Key Account Management" },
  { "Customer Success", "Customer Success" },
  { "Marketing", "Marketing" },
  { "Vertriebssteuerung", "Sales Operations" },
  { "IT & Data Science", "IT & Data Science" },
  { "Personal", "Human Resources" },
};

static const struct { const char *de, *en; } regions[] = {
  { "Nord", "North" }, { "Süd", "South" }, { "West", "West" }, { "Ost", "East" },
  { "Mitte", "Central" }, { "DACH", "DACH" }, { "Benelux", "Benelux" }, { "Nordics", "Nordics" },
};

static char *
email_for (const char *name,
           guint       number)
{
  g_autofree char *folded = kdx_fold_text (name);
  GString *local = g_string_new (NULL);

  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (local, *p);
      else if (*p == ' ' && local->len > 0 && local->str[local->len - 1] != '.')
        g_string_append_c (local, '.');
    }
  /* "Dr." and other non-ASCII rests are dropped; keep the address tidy. */
  if (g_str_has_prefix (local->str, "dr."))
    g_string_erase (local, 0, 3);
  if (number > 0)
    g_string_append_printf (local, ".%u", number);
  g_string_append (local, "@" DOMAIN);

  return g_string_free (local, FALSE);
}

static gboolean
fill_small (KdxStore   *store,
            gboolean    english,
            GError    **error)
{
  g_autoptr(GPtrArray) inserted = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      const DemoPerson *d = &small_org[i];
      g_autoptr(KdxPerson) person = kdx_person_new ();
      g_autofree char *email = email_for (d->name, 0);

      kdx_person_set_name (person, d->name);
      kdx_person_set_email (person, email);
      kdx_person_set_department (person, english ? d->department_en : d->department_de);
      kdx_person_set_role (person, english ? d->role_en : d->role_de);
      kdx_person_set_committee (person, d->committee);
      kdx_person_set_active (person, d->active);
      if (d->manager >= 0)
        kdx_person_set_manager (person,
                                kdx_person_get_uuid (g_ptr_array_index (inserted, d->manager)));

      if (!kdx_person_insert (store, person, error))
        return FALSE;
      g_ptr_array_add (inserted, g_steal_pointer (&person));
    }

  return TRUE;
}

/* 100,000 people: a board, regional heads per department, team leads,
 * and teams of about eight under each lead. */
static gboolean
fill_large (KdxStore      *store,
            gboolean       english,
            KdxJob        *job,
            GCancellable  *cancellable,
            GError       **error)
{
  const guint total = 100000;
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ceo_uuid = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  guint n = 0;
  gboolean ok = TRUE;

  if (!fill_small (store, english, error))
    {
      g_rand_free (rand);
      return FALSE;
    }
  n = G_N_ELEMENTS (small_org);

  {
    g_autoptr(KdxPerson) ceo = kdx_person_find (store, "katharina.brenner@" DOMAIN, NULL);
    ceo_uuid = g_strdup (ceo ? kdx_person_get_uuid (ceo) : NULL);
  }

  while (ok && n < total)
    {
      guint dept = g_rand_int_range (rand, 0, G_N_ELEMENTS (large_departments));
      guint region = g_rand_int_range (rand, 0, G_N_ELEMENTS (regions));
      const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      g_autofree char *name = g_strconcat (first, " ", last, NULL);
      g_autofree char *email = email_for (name, n);
      g_autofree char *department = g_strdup_printf ("%s %s",
                                                     english ? large_departments[dept].en
                                                             : large_departments[dept].de,
                                                     english ? regions[region].en
                                                             : regions[region].de);
      g_autoptr(KdxPerson) person = kdx_person_new ();
      gboolean is_lead = (n % 9) == 0;

      kdx_person_set_name (person, name);
      kdx_person_set_email (person, email);
      kdx_person_set_department (person, department);
      if (is_lead)
        kdx_person_set_role (person, english ? "Team Lead" : "Teamleitung");
      else
        kdx_person_set_role (person, english ? "Sales Representative" : "Vertriebsmitarbeitende");
      kdx_person_set_active (person, g_rand_int_range (rand, 0, 50) != 0);
      kdx_person_set_committee (person, FALSE);

      if (is_lead || leads->len == 0)
        kdx_person_set_manager (person, ceo_uuid);
      else
        kdx_person_set_manager (person, g_ptr_array_index (leads, leads->len - 1));

      ok = kdx_person_insert (store, person, error);
      if (ok && is_lead)
        g_ptr_array_add (leads, g_strdup (kdx_person_get_uuid (person)));

      n++;
      if ((n & 4095) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) n / total, _("Creating people"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            ok = FALSE;
        }
    }

  g_rand_free (rand);

  return ok;
}

gboolean
kdx_demo_fill (KdxStore      *store,
               KdxDemoSize    size,
               const char    *language,
               KdxJob        *job,
               GCancellable  *cancellable,
               GError       **error)
{
  gboolean english = g_strcmp0 (language, "en") == 0;
  gboolean ok;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin (store, error))
    return FALSE;

  ok = kdx_store_set_setting (store, "organisation", ORGANISATION, error) &&
       kdx_store_set_setting (store, "language", english ? "en" : "de", error) &&
       kdx_store_set_setting (store, "quorum", "majority:3", error) &&
       kdx_journal_append (store, "workspace", NULL, "demo",
                           size == KDX_DEMO_LARGE ? "large" : "small", NULL, NULL, error);

  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large (store, english, job, cancellable, error)
                                : fill_small (store, english, error);

  /* Statistics for the planner, now that the tables are full. */
  if (ok)
    ok = kdx_store_exec (store, "ANALYZE", error);

  if (!ok)
    {
      kdx_store_rollback (store);
      return FALSE;
    }

  return kdx_store_commit (store, error);
}
