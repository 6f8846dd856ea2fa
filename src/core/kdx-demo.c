/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo workspace: Brenner & Hoffmann Industriebedarf GmbH, a German
 * B2B distributor of industrial supplies with an inside and a field sales
 * force, key accounts, marketing, a small data team and an AI-ethics
 * committee. The people, the vendors and their products are invented.
 */
#define G_LOG_DOMAIN "kdx-demo"

#include "config.h"

#include "kdx-demo.h"
#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-journal.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store-private.h"
#include "kdx-system.h"
#include "kdx-template.h"
#include "kdx-training.h"
#include "kdx-usecase.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

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

/* ------------------------------------------------------------------ */
/* Policies                                                            */

/* The committee of the small organisation, by index into small_org. */
static const guint committee[] = { 33, 34, 29, 1, 35, 37 };

typedef struct
{
  KdxStore   *store;
  GPtrArray  *people;     /* uuids, in the order of small_org */
  char       *saved_actor;
} PolicyDemo;

static gboolean
vote_round (PolicyDemo   *demo,
            const char   *version,
            const char   *pattern,   /* per member: a approve, r reject, s abstain, - none */
            const char  **comments,
            GError      **error)
{
  KdxVersionStatus status = KDX_VERSION_REVIEW;

  /* Until the vote is decided. */
  for (guint i = 0; pattern[i] && i < G_N_ELEMENTS (committee) && status == KDX_VERSION_REVIEW; i++)
    {
      KdxVoteChoice choice;

      switch (pattern[i])
        {
        case 'a': choice = KDX_VOTE_APPROVE; break;
        case 'r': choice = KDX_VOTE_REJECT; break;
        case 's': choice = KDX_VOTE_ABSTAIN; break;
        default: continue;
        }
      kdx_store_set_actor (demo->store, g_ptr_array_index (demo->people, committee[i]));
      if (!kdx_policy_vote (demo->store, version, choice, comments ? comments[i] : NULL,
                            &status, error))
        return FALSE;
    }
  kdx_store_set_actor (demo->store, demo->saved_actor);

  return TRUE;
}

/* Submits, votes through (four of six) and publishes @version. */
static gboolean
publish (PolicyDemo  *demo,
         const char  *version,
         const char  *summary,
         const char  *effective,
         GError     **error)
{
  return kdx_policy_submit (demo->store, version, summary, error) &&
         vote_round (demo, version, "aaaas", NULL, error) &&
         kdx_policy_publish (demo->store, version, effective, error);
}

static char *
first_version (KdxStore   *store,
               KdxPolicy  *policy)
{
  g_autoptr(GPtrArray) versions = kdx_policy_list_versions (store, kdx_policy_get_uuid (policy),
                                                            NULL);

  if (versions == NULL || versions->len == 0)
    return NULL;

  return g_strdup (kdx_policy_version_get_uuid (versions->pdata[versions->len - 1]));
}

static KdxPolicy *
policy_from_template (PolicyDemo   *demo,
                      KdxTemplate  *template,
                      const char   *title,
                      guint         owner,
                      const char   *body,
                      GError      **error)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();

  kdx_policy_set_title (policy, title ? title : kdx_template_get_title (template));
  kdx_policy_set_kind (policy, MAX (kdx_policy_kind_from_string (kdx_template_get_kind (template)), 0));
  kdx_policy_set_area (policy, MAX (kdx_policy_area_from_string (kdx_template_get_area (template)), 0));
  kdx_policy_set_review_months (policy, kdx_template_get_review_months (template));
  kdx_policy_set_owner (policy, g_ptr_array_index (demo->people, owner));
  /* Remembered, so that a system made from a use case finds the policies
   * the use case suggests. */
  kdx_policy_set_template (policy, kdx_template_get_id (template));
  if (!kdx_policy_create (demo->store, policy, body ? body : kdx_template_get_body (template),
                          error))
    return NULL;

  return g_steal_pointer (&policy);
}

/* A word added to a text, so that a later version differs. */
static char *
amend (const char *body,
       const char *addition)
{
  return g_strconcat (body, "\n", addition, "\n", NULL);
}

/* The code of conduct and the shipped policies, in every state a
 * newcomer should see: published and acknowledged, a minor revision in
 * review, an overdue review, a draft, a rejected draft with comments, an
 * approved version waiting for publication. */
static gboolean
fill_small_policies (KdxStore   *store,
                     gboolean    english,
                     GError    **error)
{
  g_autoptr(GPtrArray) templates = kdx_template_list (english ? "en" : "de");
  g_autoptr(GPtrArray) people = kdx_person_list_by_name (store, TRUE, error);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  PolicyDemo demo = { store, uuids, g_strdup (kdx_store_get_actor (store)) };
  const char *reject_comments[] = {
    english ? "The opt-out for customers is missing." : "Es fehlt das Widerspruchsrecht der Kunden.",
    NULL,
    english ? "Please name the retention period." : "Bitte die Speicherdauer nennen.",
    NULL, NULL, NULL,
  };
  gboolean ok = FALSE;

  if (people == NULL)
    goto out;
  /* People in the order of small_org, found by e-mail. */
  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      g_autofree char *email = email_for (small_org[i].name, 0);
      g_autoptr(KdxPerson) person = kdx_person_find (store, email, error);

      if (person == NULL)
        goto out;
      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }

  for (guint t = 0; t < templates->len; t++)
    {
      KdxTemplate *template = templates->pdata[t];
      g_autoptr(KdxPolicy) policy = NULL;
      g_autofree char *v1 = NULL;
      guint owner = committee[t % G_N_ELEMENTS (committee)];

      policy = policy_from_template (&demo, template, NULL, owner, NULL, error);
      if (policy == NULL || (v1 = first_version (store, policy)) == NULL)
        goto out;

      switch (t)
        {
        case 0:   /* the code of conduct: published, acknowledged, 1.1 in review */
          {
            g_autoptr(KdxPolicyVersion) v2 = NULL;
            g_autoptr(GPtrArray) asked = NULL;
            g_autoptr(GPtrArray) done = g_ptr_array_new ();
            g_autofree char *text = NULL;

            if (!kdx_policy_set_ack_scope (store, v1, KDX_ACK_ALL, NULL, error) ||
                !publish (&demo, v1, english ? "First version adopted by the committee"
                                             : "Erste vom Gremium beschlossene Fassung",
                          "2026-01-15", error))
              goto out;
            asked = kdx_policy_ack_status (store, v1, NULL, error);
            if (asked == NULL)
              goto out;
            for (guint i = 0; i < asked->len; i++)
              if (i % 4 != 3)
                g_ptr_array_add (done, ((KdxAckRow *) asked->pdata[i])->person);
            g_ptr_array_add (done, NULL);
            if (!kdx_policy_acknowledge (store, v1, (const char *const *) done->pdata,
                                         "2026-01-20T09:00:00Z", "import", NULL, error))
              goto out;

            v2 = kdx_policy_new_draft (store, kdx_policy_get_uuid (policy), FALSE, error);
            text = amend (kdx_policy_version_get_body (v2),
                          english ? "Agents tell customers in the first e-mail of a conversation "
                                    "when the text was drafted with AI."
                                  : "Mitarbeitende weisen Kunden in der ersten E-Mail eines "
                                    "Gesprächs darauf hin, wenn der Text mit KI entworfen wurde.");
            if (v2 == NULL ||
                !kdx_policy_save_draft (store, kdx_policy_version_get_uuid (v2), text, error) ||
                !kdx_policy_submit (store, kdx_policy_version_get_uuid (v2),
                                    english ? "Disclosure in AI-drafted e-mails"
                                            : "Hinweis in KI-entworfenen E-Mails", error) ||
                !vote_round (&demo, kdx_policy_version_get_uuid (v2), "aa", NULL, error))
              goto out;
          }
          break;

        case 1: case 4:   /* published; the second one's review is overdue */
          if (!kdx_policy_set_ack_scope (store, v1, KDX_ACK_DEPARTMENT,
                                         english ? "Inside Sales" : "Vertrieb Innendienst", error) ||
              !publish (&demo, v1, english ? "Adopted" : "Beschlossen",
                        t == 4 ? "2024-10-01" : "2026-02-01", error))
            goto out;
          break;

        case 2:   /* rejected, back to draft with the comments */
          if (!kdx_policy_submit (store, v1, english ? "First draft for discussion"
                                                     : "Erster Entwurf zur Diskussion", error) ||
              !vote_round (&demo, v1, "rar-rr", reject_comments, error))
            goto out;
          break;

        case 3:   /* approved, waiting to be published */
          if (!kdx_policy_submit (store, v1, english ? "Ready for adoption"
                                                     : "Bereit zur Beschlussfassung", error) ||
              !vote_round (&demo, v1, "aaaa", NULL, error))
            goto out;
          break;

        case 5:   /* in review */
          if (!kdx_policy_submit (store, v1, english ? "Proposal of the data team"
                                                     : "Vorschlag des Data-Teams", error) ||
              !vote_round (&demo, v1, "as", NULL, error))
            goto out;
          break;

        default:  /* drafts */
          break;
        }
    }
  ok = TRUE;

out:
  kdx_store_set_actor (store, demo.saved_actor);
  g_free (demo.saved_actor);
  return ok;
}

/* 2,000 policies with five versions each (four superseded, the newest
 * published or, for every fourth policy, a draft), their text from the
 * shipped templates, each version a little different from the last. */
static gboolean
fill_large_policies (KdxStore      *store,
                     gboolean       english,
                     KdxJob        *job,
                     GCancellable  *cancellable,
                     GError       **error)
{
  const guint total = 2000;
  g_autoptr(GPtrArray) templates = kdx_template_list (english ? "en" : "de");
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  PolicyDemo demo = { store, uuids, g_strdup (kdx_store_get_actor (store)) };
  GRand *rand = g_rand_new_with_seed (7);
  gboolean ok = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      g_autofree char *email = email_for (small_org[i].name, 0);
      g_autoptr(KdxPerson) person = kdx_person_find (store, email, error);

      if (person == NULL)
        goto out;
      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }
  if (templates->len == 0)
    {
      ok = TRUE;
      goto out;
    }

  for (guint n = 0; n < total; n++)
    {
      KdxTemplate *template = templates->pdata[n % templates->len];
      const char *region = english ? regions[n % G_N_ELEMENTS (regions)].en
                                   : regions[n % G_N_ELEMENTS (regions)].de;
      g_autofree char *title = g_strdup_printf ("%s – %s %u", kdx_template_get_title (template),
                                                region, n / templates->len + 1);
      g_autoptr(KdxPolicy) policy = NULL;
      g_autofree char *version = NULL;
      g_autofree char *body = g_strdup (kdx_template_get_body (template));

      policy = policy_from_template (&demo, template, title, committee[n % G_N_ELEMENTS (committee)],
                                     body, error);
      if (policy == NULL || (version = first_version (store, policy)) == NULL)
        goto out;

      for (guint v = 1; v <= 5; v++)
        {
          g_autofree char *effective = g_strdup_printf ("%04u-%02u-01", 2021 + v,
                                                        g_rand_int_range (rand, 1, 13));
          g_autofree char *summary = g_strdup_printf (english ? "Revision %u for %s"
                                                              : "Überarbeitung %u für %s",
                                                      v, region);

          if (v > 1)
            {
              g_autoptr(KdxPolicyVersion) draft = NULL;
              g_autofree char *line = g_strdup_printf (english
                                                         ? "Amendment %u.%u: reviewed by the committee on %s, reference %08x."
                                                         : "Änderung %u.%u: vom Gremium geprüft am %s, Aktenzeichen %08x.",
                                                       n + 1, v, effective, g_rand_int (rand));
              g_autofree char *text = NULL;

              text = amend (body, line);
              draft = kdx_policy_new_draft_with_text (store, kdx_policy_get_uuid (policy), v == 3,
                                                      text, error);
              if (draft == NULL)
                goto out;
              g_free (body);
              body = g_steal_pointer (&text);
              g_free (version);
              version = g_strdup (kdx_policy_version_get_uuid (draft));
            }
          if (v == 5 && n % 4 == 3)
            break;
          if (!publish (&demo, version, summary, effective, error))
            goto out;
        }

      if ((n & 63) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) n / total, _("Creating policies"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
        }
    }
  ok = TRUE;

out:
  kdx_store_set_actor (store, demo.saved_actor);
  g_free (demo.saved_actor);
  g_rand_free (rand);
  return ok;
}

/* ------------------------------------------------------------------ */
/* AI systems and mappings                                             */

/* The people of the small organisation, by index into small_org. */
static GPtrArray *
small_org_uuids (KdxStore  *store,
                 GError   **error)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (small_org); i++)
    {
      g_autofree char *email = email_for (small_org[i].name, 0);
      g_autoptr(KdxPerson) person = kdx_person_find (store, email, error);

      if (person == NULL)
        return NULL;
      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }

  return g_steal_pointer (&uuids);
}

/* Which requirements each policy of a shipped template covers, as
 * "catalog:code". Some of these policies are in effect in the demo, some
 * are drafts: the coverage views show requirements covered, partly
 * covered and not covered at all. */
static const struct
{
  const char *template;
  const char *requirements[8];
} demo_requirement_links[] = {
  { "code-of-conduct", { "kodex-practices:KP-13", "kodex-practices:KP-10", "eu-ai-act:art-5-1-a",
                         "eu-ai-act:art-5-1-b", "hleg:hleg-7" } },
  { "committee-charter", { "kodex-practices:KP-14", "hleg:hleg-7" } },
  { "speak-up", { "kodex-practices:KP-15", "hleg:hleg-7" } },
  { "emotion-analysis", { "eu-ai-act:art-5-1-f", "eu-ai-act:art-50-3", "eu-ai-act:annex-iii-1-c",
                          "gdpr:art-9" } },
  { "disclosure", { "eu-ai-act:art-50-1", "eu-ai-act:art-50-2", "gdpr:art-13", "gdpr:art-14",
                    "kodex-practices:KP-01" } },
  { "lead-scoring", { "gdpr:art-22", "gdpr:art-21", "kodex-practices:KP-07",
                      "kodex-practices:KP-09" } },
  { "human-oversight", { "eu-ai-act:art-14", "eu-ai-act:art-26-2", "gdpr:art-22-3",
                         "kodex-practices:KP-03", "kodex-practices:KP-11", "hleg:hleg-1" } },
  { "ai-literacy", { "eu-ai-act:art-4", "kodex-practices:KP-12" } },
  { "data-protection", { "gdpr:art-5", "gdpr:art-6", "gdpr:art-25", "gdpr:art-35",
                         "kodex-practices:KP-04", "kodex-practices:KP-06" } },
  { "explainability", { "eu-ai-act:art-13", "gdpr:art-15", "kodex-practices:KP-02",
                        "hleg:hleg-4" } },
  { "ai-system-intake", { "eu-ai-act:art-6", "eu-ai-act:art-9", "eu-ai-act:art-27",
                          "kodex-practices:KP-10" } },
  { "sales-psychology", { "eu-ai-act:art-5-1-a", "eu-ai-act:art-5-1-b",
                          "kodex-practices:KP-16" } },
};

static gboolean
link_small_requirements (KdxStore  *store,
                         GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_requirement_links); i++)
    {
      g_autofree char *policy = kdx_policy_find_by_template (store,
                                                             demo_requirement_links[i].template);

      for (guint j = 0; policy != NULL && demo_requirement_links[i].requirements[j]; j++)
        {
          g_auto(GStrv) parts = g_strsplit (demo_requirement_links[i].requirements[j], ":", 2);
          g_autoptr(KdxRequirement) requirement = NULL;

          /* A catalog the workspace lacks (it can be removed only when
           * imported, but the shipped ones change) is left out. */
          requirement = kdx_requirement_find (store, parts[0], parts[1], NULL);
          if (requirement == NULL)
            continue;
          if (!kdx_mapping_link_requirement (store, policy, requirement->uuid, error))
            return FALSE;
        }
    }

  return TRUE;
}

typedef struct
{
  const char   *use_case;
  const char   *name_de;
  const char   *name_en;
  const char   *vendor;
  const char   *version;
  KdxLifecycle  lifecycle;
  guint         business_owner;   /* index into small_org */
  guint         technical_owner;
  int           overseers[3];     /* indexes into small_org, -1 ends */
  const char   *raci;             /* "A2 R27 C34": role and index into small_org */
  const char   *answers;          /* answers that differ from the library's */
  KdxDpiaStatus dpia;
  const char   *dpia_date;
  const char   *retention_de;
  const char   *retention_en;
  /* The compliance of each mapped policy, in the order of their keys:
   * c compliant, p partial, n non-compliant, a not applicable, - not
   * assessed. */
  const char   *statuses;
} DemoSystem;

static const DemoSystem small_systems[] = {
  { "lead-scoring", "Lead-Scoring im CRM", "Lead scoring in the CRM",
    "Nordlicht CRM GmbH", "2025.3", KDX_LIFECYCLE_PRODUCTION, 2, 27, { 6, 3, -1 },
    "A2 R27 C34 I1", "natural-persons=yes profiling=yes", KDX_DPIA_DONE, "2025-09-12",
    "24 Monate nach dem letzten Kontakt", "24 months after the last contact", "cpcp" },
  { "lead-scoring-persons", "Lead-Scoring für Privatkunden im Webshop",
    "Lead scoring of private customers in the web shop", "Shopwerk Analytics GmbH", "4.1",
    KDX_LIFECYCLE_PILOT, 18, 30, { 19, -1 }, "A18 R30 C34 I20", NULL, KDX_DPIA_IN_PROGRESS,
    NULL, "12 Monate", "12 months", "p-n-c" },
  { "sales-chatbot", "Verkaufs-Chatbot „Frida“", "Sales chatbot “Frida”", "Talkwise AG",
    "3.8", KDX_LIFECYCLE_PRODUCTION, 21, 31, { 22, 23, -1 }, "A21 R31 R22 C33 I24", NULL,
    KDX_DPIA_NOT_REQUIRED, NULL, "Chatverläufe 90 Tage", "Chat transcripts 90 days", "cccp" },
  { "call-analysis-customers", "Gesprächsanalyse im Kundenservice",
    "Call analysis in customer service", "VoiceInsight GmbH", "2.2", KDX_LIFECYCLE_PILOT, 21,
    32, { 22, -1 }, "A21 R32 C34 C37 I22", NULL, KDX_DPIA_IN_PROGRESS, NULL,
    "Aufnahmen 30 Tage, Auswertungen 12 Monate", "Recordings 30 days, results 12 months",
    "ppn-c" },
  { "call-analysis-employees", "Stimmungsanalyse des Vertriebsteams",
    "Mood analysis of the sales team", "VoiceInsight GmbH", "2.2", KDX_LIFECYCLE_RETIRED, 8,
    32, { -1 }, "A8 R32 C37 C34", NULL, KDX_DPIA_NOT_STARTED, NULL, NULL, NULL, "nnnn" },
  { "dynamic-pricing", "Dynamische Preise im Webshop", "Dynamic prices in the web shop",
    "Preisfux GmbH", "5.0", KDX_LIFECYCLE_PRODUCTION, 26, 28, { 28, -1 }, "A26 R28 C34 I15",
    NULL, KDX_DPIA_DONE, "2025-03-03", "Preisdaten 36 Monate", "Price data 36 months",
    "cpc-p" },
  { "next-best-offer", "Next-Best-Offer für den Außendienst",
    "Next best offer for the field sales force", NULL, "0.9", KDX_LIFECYCLE_PRODUCTION, 8, 30,
    { 9, 10, -1 }, "A8 R30 C29 I9 I10 I11", "natural-persons=no profiling=no",
    KDX_DPIA_NOT_STARTED, NULL,
    NULL, NULL, "c-pa" },
  { "rep-performance", "Leistungsranking im Vertrieb", "Sales performance ranking",
    "Vertriebsradar GmbH", "1.0", KDX_LIFECYCLE_PLANNED, 1, 27, { 35, -1 },
    "A1 R27 C37 C35 C34 I8", NULL, KDX_DPIA_NOT_STARTED, NULL, NULL, NULL, "--n" },
  { "credit-check", "Bonitätsprüfung im Checkout", "Credit check at checkout",
    "Kreditpilot GmbH", "7.4", KDX_LIFECYCLE_PRODUCTION, 26, 32, { 27, 22, -1 },
    "A26 R32 C34 I21", NULL, KDX_DPIA_DONE, "2024-11-20", "Entscheidungen 6 Jahre (HGB)",
    "Decisions 6 years (German Commercial Code)", "pcpcn" },
  { "sales-forecasting", "Absatzprognose", "Sales forecast", NULL, "2.3",
    KDX_LIFECYCLE_PRODUCTION, 26, 29, { 26, -1 }, "A26 R29 R30 I1",
    "role-provider=yes", KDX_DPIA_NOT_REQUIRED, NULL, NULL, NULL, "ca" },
  { "generated-content", "KI-Textassistent für Angebote", "AI writing assistant for quotes",
    "Schreibwerk KI GmbH", "2026.1", KDX_LIFECYCLE_PILOT, 6, 31, { 7, -1 }, "A6 R31 C20 I7",
    NULL, KDX_DPIA_NOT_REQUIRED, NULL, "Entwürfe 30 Tage", "Drafts 30 days", "p-cc" },
};

static const struct
{
  const char *de;
  const char *en;
} evidence_notes[] = {
  [KDX_COMPLIANCE_COMPLIANT] = { "Geprüft im Quartalsreview; Nachweise im Audit-Ordner.",
                                 "Checked in the quarterly review; evidence in the audit folder." },
  [KDX_COMPLIANCE_PARTIAL] = { "Hinweis im Frontend fehlt noch; Umsetzung bis Ende des Quartals.",
                               "The notice in the front end is still missing; due by the end of "
                               "the quarter." },
  [KDX_COMPLIANCE_NON_COMPLIANT] = { "Nicht vereinbar mit der Richtlinie; Einsatz gestoppt.",
                                     "Not compatible with the policy; use stopped." },
  [KDX_COMPLIANCE_NOT_ASSESSED] = { NULL, NULL },
  [KDX_COMPLIANCE_NOT_APPLICABLE] = { "Betrifft dieses System nicht.",
                                      "Does not concern this system." },
};

static KdxCompliance
status_from_char (char c)
{
  switch (c)
    {
    case 'c': return KDX_COMPLIANCE_COMPLIANT;
    case 'p': return KDX_COMPLIANCE_PARTIAL;
    case 'n': return KDX_COMPLIANCE_NON_COMPLIANT;
    case 'a': return KDX_COMPLIANCE_NOT_APPLICABLE;
    default: return KDX_COMPLIANCE_NOT_ASSESSED;
    }
}

/* "A2 R27 C34" into RACI rows. */
static GPtrArray *
parse_raci (const char *spec,
            GPtrArray  *people)
{
  g_auto(GStrv) items = g_strsplit (spec, " ", -1);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);

  for (guint i = 0; items[i] != NULL; i++)
    {
      KdxSystemPerson *entry = g_new0 (KdxSystemPerson, 1);
      char role[2] = { items[i][0], '\0' };

      entry->role = kdx_raci_role_from_string (role);
      entry->person = g_strdup (g_ptr_array_index (people, atoi (items[i] + 1)));
      g_ptr_array_add (entries, entry);
    }

  return entries;
}

static gboolean
fill_small_system (KdxStore         *store,
                   const DemoSystem *d,
                   guint             n,
                   GPtrArray        *people,
                   gboolean          english,
                   GError          **error)
{
  const DemoPerson *owner = &small_org[d->business_owner];
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GPtrArray) raci = NULL;
  g_autoptr(GPtrArray) overseers = g_ptr_array_new ();
  g_autoptr(GPtrArray) policies = NULL;
  const char *uuid;

  system = kdx_system_create_from_use_case (store, english ? d->name_en : d->name_de,
                                            d->use_case, error);
  if (system == NULL)
    return FALSE;
  uuid = kdx_system_get_uuid (system);

  kdx_system_set_vendor (system, d->vendor ? d->vendor
                                           : english ? "In-house (IT & Data Science)"
                                                     : "Eigenentwicklung (IT & Data Science)");
  kdx_system_set_version (system, d->version);
  kdx_system_set_department (system, english ? owner->department_en : owner->department_de);
  kdx_system_set_business_owner (system, g_ptr_array_index (people, d->business_owner));
  kdx_system_set_technical_owner (system, g_ptr_array_index (people, d->technical_owner));
  kdx_system_set_lifecycle (system, d->lifecycle);
  kdx_system_set_dpia_status (system, d->dpia);
  kdx_system_set_dpia_date (system, d->dpia_date);
  kdx_system_set_retention (system, english ? d->retention_en : d->retention_de);
  if (!kdx_system_update (store, system, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (d->overseers) && d->overseers[i] >= 0; i++)
    g_ptr_array_add (overseers, g_ptr_array_index (people, d->overseers[i]));
  g_ptr_array_add (overseers, NULL);
  raci = parse_raci (d->raci, people);
  if (!kdx_system_set_overseers (store, uuid, (const char *const *) overseers->pdata, error) ||
      !kdx_system_set_raci (store, uuid, raci, error))
    return FALSE;

  /* The committee looked closer at some systems than the library does. */
  if (d->answers != NULL)
    {
      g_autoptr(GHashTable) answers = kdx_system_dup_answers (system);
      g_auto(GStrv) changes = g_strsplit (d->answers, " ", -1);

      for (guint i = 0; changes[i] != NULL; i++)
        {
          g_auto(GStrv) pair = g_strsplit (changes[i], "=", 2);

          kdx_answers_set (answers, pair[0],
                           g_str_equal (pair[1], "yes") ? KDX_ANSWER_YES : KDX_ANSWER_NO);
        }
      if (!kdx_system_classify (store, uuid, answers, NULL, error))
        return FALSE;
    }

  /* The policies the use case suggested, assessed by the data protection
   * officer and the chair of the committee. */
  policies = kdx_mapping_list_system_policies (store, uuid, error);
  if (policies == NULL)
    return FALSE;
  for (guint i = 0; i < policies->len && d->statuses[i] != '\0'; i++)
    {
      KdxMappingRow *row = policies->pdata[i];
      KdxCompliance status = status_from_char (d->statuses[i]);
      g_autofree char *date = NULL;

      if (status == KDX_COMPLIANCE_NOT_ASSESSED)
        continue;
      date = g_strdup_printf ("2026-%02u-%02u", 6 + (n + i) % 5, 1 + (n * 7 + i * 3) % 28);
      if (!kdx_mapping_set_system_policy (store, uuid, row->uuid, status,
                                          g_ptr_array_index (people, (n + i) % 2 ? 34 : 33),
                                          date,
                                          english ? evidence_notes[status].en
                                                  : evidence_notes[status].de,
                                          error))
        return FALSE;
    }

  return TRUE;
}

/* Eleven systems from the use-case library, one of each, in every
 * lifecycle state, with owners, overseers, a RACI, and their policies
 * assessed in every status; the policies linked to the requirements they
 * cover. */
static gboolean
fill_small_systems (KdxStore   *store,
                    gboolean    english,
                    GError    **error)
{
  g_autoptr(GPtrArray) people = small_org_uuids (store, error);

  if (people == NULL || !link_small_requirements (store, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (small_systems); i++)
    if (!fill_small_system (store, &small_systems[i], i, people, english, error))
      return FALSE;

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The large register: 2,000 systems, written with prepared statements  */
/* in the demo's one transaction (the API would load and journal each  */
/* row several times over).                                            */

/* How the large demo names the systems of each use case. */
static const struct
{
  const char *use_case;
  const char *de;
  const char *en;
} large_names[] = {
  { "lead-scoring", "Lead-Scoring", "Lead scoring" },
  { "lead-scoring-persons", "Lead-Scoring Privatkunden", "Consumer lead scoring" },
  { "sales-chatbot", "Verkaufs-Chatbot", "Sales chatbot" },
  { "call-analysis-customers", "Gesprächsanalyse", "Call analysis" },
  { "call-analysis-employees", "Stimmungsanalyse Team", "Team mood analysis" },
  { "dynamic-pricing", "Dynamische Preise", "Dynamic pricing" },
  { "next-best-offer", "Next-Best-Offer", "Next best offer" },
  { "rep-performance", "Leistungsranking", "Performance ranking" },
  { "credit-check", "Bonitätsprüfung", "Credit check" },
  { "sales-forecasting", "Absatzprognose", "Sales forecast" },
  { "generated-content", "Textassistent", "Writing assistant" },
};

static const char *large_vendors[] = {
  "Nordlicht CRM GmbH", "Shopwerk Analytics GmbH", "Talkwise AG", "VoiceInsight GmbH",
  "Preisfux GmbH", "Vertriebsradar GmbH", "Kreditpilot GmbH", "Schreibwerk KI GmbH",
  "Datenhafen AG", "Elbe Intelligence GmbH", NULL,
};

/* A use case as the large demo stores it: classified once. */
typedef struct
{
  const KdxUseCase  *use_case;
  const char        *name;
  char              *answers;
  char              *reasoning;
  KdxClassification *result;
} LargeUseCase;

typedef struct
{
  sqlite3_stmt *system;
  sqlite3_stmt *data;
  sqlite3_stmt *obligation;
  sqlite3_stmt *overseer;
  sqlite3_stmt *raci;
  sqlite3_stmt *policy_system;
  sqlite3_stmt *policy_requirement;
} LargeStatements;

static void
large_statements_clear (LargeStatements *s)
{
  g_clear_pointer (&s->system, sqlite3_finalize);
  g_clear_pointer (&s->data, sqlite3_finalize);
  g_clear_pointer (&s->obligation, sqlite3_finalize);
  g_clear_pointer (&s->overseer, sqlite3_finalize);
  g_clear_pointer (&s->raci, sqlite3_finalize);
  g_clear_pointer (&s->policy_system, sqlite3_finalize);
  g_clear_pointer (&s->policy_requirement, sqlite3_finalize);
}

static gboolean
large_statements_prepare (KdxStore         *store,
                          LargeStatements  *s,
                          GError          **error)
{
  s->system = kdx_store_prepare (store,
                                 "INSERT INTO ai_system (uuid, key, name, sort_key, vendor, "
                                 "version, use_case, description, business_owner_id, "
                                 "technical_owner_id, department, lifecycle, role, risk, answers, "
                                 "reasoning, classified, legal_basis, consent, dpia_status, "
                                 "oversight, created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                 "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
                                 "?20, ?21, ?17, ?17)", error);
  s->data = s->system ? kdx_store_prepare (store, "INSERT INTO system_data (system_id, category) "
                                           "VALUES (?1, ?2)", error) : NULL;
  s->obligation = s->data ? kdx_store_prepare (store, "INSERT INTO system_obligation (system_id, "
                                               "obligation, catalog, code) VALUES (?1, ?2, ?3, "
                                               "?4)", error) : NULL;
  s->overseer = s->obligation ? kdx_store_prepare (store, "INSERT INTO system_overseer "
                                                   "(system_id, person_id) VALUES (?1, ?2)",
                                                   error) : NULL;
  s->raci = s->overseer ? kdx_store_prepare (store, "INSERT INTO system_raci (system_id, "
                                             "person_id, role) VALUES (?1, ?2, ?3)", error) : NULL;
  s->policy_system = s->raci ? kdx_store_prepare (store, "INSERT INTO policy_system (policy_id, "
                                                  "system_id, status, assessor_id, assessed, "
                                                  "evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                                  error) : NULL;
  s->policy_requirement = s->policy_system
                            ? kdx_store_prepare (store, "INSERT INTO policy_requirement "
                                                 "(policy_id, requirement_id, created) "
                                                 "VALUES (?1, ?2, ?3)", error)
                            : NULL;

  return s->policy_requirement != NULL;
}

static gboolean
step_reset (KdxStore      *store,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  gboolean ok = kdx_store_step_done (store, stmt, error);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

/* Row ids (and for policies uuid and key) of what the systems refer to. */
typedef struct
{
  GArray    *people;        /* gint64: active people */
  GArray    *committee;     /* gint64: people of small_org who assess */
  GArray    *policies;      /* gint64 */
  GPtrArray *policy_uuids;
  GPtrArray *policy_keys;
  GArray    *requirements;  /* gint64 */
  GPtrArray *requirement_labels;  /* "catalog code label" for the journal: uuid, catalog, code */
} LargeRefs;

static void
large_refs_clear (LargeRefs *r)
{
  g_clear_pointer (&r->people, g_array_unref);
  g_clear_pointer (&r->committee, g_array_unref);
  g_clear_pointer (&r->policies, g_array_unref);
  g_clear_pointer (&r->policy_uuids, g_ptr_array_unref);
  g_clear_pointer (&r->policy_keys, g_ptr_array_unref);
  g_clear_pointer (&r->requirements, g_array_unref);
  g_clear_pointer (&r->requirement_labels, g_ptr_array_unref);
}

static gboolean
large_refs_load (KdxStore   *store,
                 LargeRefs  *r,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) people = NULL;
  g_autoptr(sqlite3_stmt) committee = NULL;
  g_autoptr(sqlite3_stmt) policies = NULL;
  g_autoptr(sqlite3_stmt) requirements = NULL;
  int rc;

  r->people = g_array_new (FALSE, FALSE, sizeof (gint64));
  r->committee = g_array_new (FALSE, FALSE, sizeof (gint64));
  r->policies = g_array_new (FALSE, FALSE, sizeof (gint64));
  r->policy_uuids = g_ptr_array_new_with_free_func (g_free);
  r->policy_keys = g_ptr_array_new_with_free_func (g_free);
  r->requirements = g_array_new (FALSE, FALSE, sizeof (gint64));
  r->requirement_labels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  people = kdx_store_prepare (store, "SELECT id FROM person WHERE active = 1 AND trashed IS NULL "
                              "ORDER BY id", error);
  committee = people ? kdx_store_prepare (store, "SELECT id FROM person WHERE committee = 1 "
                                          "AND trashed IS NULL ORDER BY id", error) : NULL;
  policies = committee ? kdx_store_prepare (store, "SELECT id, uuid, key FROM policy "
                                            "WHERE trashed IS NULL ORDER BY id", error) : NULL;
  requirements = policies ? kdx_store_prepare (store, "SELECT r.id, r.uuid, c.key, r.code, "
                                               "r.label FROM requirement r JOIN catalog c "
                                               "ON c.id = r.catalog_id ORDER BY c.key, r.position",
                                               error) : NULL;
  if (requirements == NULL)
    return FALSE;

  while ((rc = sqlite3_step (people)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (people, 0);
      g_array_append_val (r->people, id);
    }
  if (rc == SQLITE_DONE)
    while ((rc = sqlite3_step (committee)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (committee, 0);
        g_array_append_val (r->committee, id);
      }
  if (rc == SQLITE_DONE)
    while ((rc = sqlite3_step (policies)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (policies, 0);
        g_array_append_val (r->policies, id);
        g_ptr_array_add (r->policy_uuids, kdx_store_column_text (policies, 1));
        g_ptr_array_add (r->policy_keys, kdx_store_column_text (policies, 2));
      }
  if (rc == SQLITE_DONE)
    while ((rc = sqlite3_step (requirements)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (requirements, 0);
        char **label = g_new0 (char *, 5);

        for (int i = 0; i < 4; i++)
          label[i] = kdx_store_column_text (requirements, 1 + i);
        g_array_append_val (r->requirements, id);
        g_ptr_array_add (r->requirement_labels, label);
      }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

static gint64
pick (GArray *ids,
      GRand  *rand)
{
  return g_array_index (ids, gint64, g_rand_int_range (rand, 0, ids->len));
}

static char *
json_text (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);

  return json_to_string (root, FALSE);
}

static void
json_text_member (JsonBuilder *b,
                  const char  *name,
                  const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Up to @n distinct indexes below @len, into @chosen. */
static guint
pick_distinct (GRand  *rand,
               guint   len,
               guint   n,
               guint  *chosen)
{
  guint k = 0;

  n = MIN (n, len);
  while (k < n)
    {
      guint candidate = g_rand_int_range (rand, 0, len);
      gboolean taken = FALSE;

      for (guint j = 0; j < k; j++)
        taken |= chosen[j] == candidate;
      if (!taken)
        chosen[k++] = candidate;
    }

  return k;
}

static gboolean
insert_large_system (KdxStore         *store,
                     LargeStatements  *st,
                     LargeRefs        *refs,
                     LargeUseCase     *lu,
                     guint             n,
                     gboolean          english,
                     const char       *now,
                     GRand            *rand,
                     GError          **error)
{
  static const KdxCompliance statuses[] = {
    KDX_COMPLIANCE_COMPLIANT, KDX_COMPLIANCE_COMPLIANT, KDX_COMPLIANCE_COMPLIANT,
    KDX_COMPLIANCE_PARTIAL, KDX_COMPLIANCE_PARTIAL, KDX_COMPLIANCE_NON_COMPLIANT,
    KDX_COMPLIANCE_NOT_ASSESSED, KDX_COMPLIANCE_NOT_ASSESSED, KDX_COMPLIANCE_NOT_APPLICABLE,
  };
  static const KdxLifecycle lifecycles[] = {
    KDX_LIFECYCLE_PRODUCTION, KDX_LIFECYCLE_PRODUCTION, KDX_LIFECYCLE_PRODUCTION,
    KDX_LIFECYCLE_PILOT, KDX_LIFECYCLE_PILOT, KDX_LIFECYCLE_PLANNED, KDX_LIFECYCLE_RETIRED,
  };
  const KdxUseCase *uc = lu->use_case;
  guint dept = g_rand_int_range (rand, 0, G_N_ELEMENTS (large_departments));
  guint region = n % G_N_ELEMENTS (regions);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *key = g_strdup_printf ("SYS-%03u", n + 1);
  g_autofree char *name = g_strdup_printf ("%s – %s %u", lu->name,
                                           english ? regions[region].en : regions[region].de,
                                           n + 1);
  g_autofree char *sort_key = kdx_fold_text (name);
  g_autofree char *version = g_strdup_printf ("%u.%u", g_rand_int_range (rand, 1, 8),
                                              g_rand_int_range (rand, 0, 10));
  g_autofree char *department = g_strdup_printf ("%s %s",
                                                 english ? large_departments[dept].en
                                                         : large_departments[dept].de,
                                                 english ? regions[region].en
                                                         : regions[region].de);
  const char *vendor = large_vendors[g_rand_int_range (rand, 0, G_N_ELEMENTS (large_vendors))];
  gint64 business = pick (refs->people, rand);
  gint64 technical = pick (refs->people, rand);
  KdxLifecycle lifecycle = lifecycles[g_rand_int_range (rand, 0, G_N_ELEMENTS (lifecycles))];
  guint chosen[8];
  guint n_policies;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  gint64 id;

  sqlite3_bind_text (st->system, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 4, sort_key, -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (st->system, 5, vendor);
  sqlite3_bind_text (st->system, 6, version, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 7, uc->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 8, kdx_use_case_get_description (uc), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st->system, 9, business);
  sqlite3_bind_int64 (st->system, 10, technical);
  sqlite3_bind_text (st->system, 11, department, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 12, kdx_lifecycle_to_string (lifecycle), -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (st->system, 13, lu->result->role >= 0
                                               ? kdx_ai_act_role_to_string (lu->result->role)
                                               : NULL);
  kdx_store_bind_text_or_null (st->system, 14, lu->result->risk >= 0
                                               ? kdx_risk_class_to_string (lu->result->risk)
                                               : NULL);
  sqlite3_bind_text (st->system, 15, lu->answers, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 16, lu->reasoning, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 17, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 18, uc->legal_basis, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 19, uc->consent, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 20, kdx_dpia_status_to_string (g_rand_int_range (rand, 0,
                                                                                  KDX_DPIA_N_STATES)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (st->system, 21, uc->oversight, -1, SQLITE_STATIC);
  if (!step_reset (store, st->system, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  for (guint i = 0; uc->data_categories[i] != NULL; i++)
    {
      sqlite3_bind_int64 (st->data, 1, id);
      sqlite3_bind_text (st->data, 2, uc->data_categories[i], -1, SQLITE_STATIC);
      if (!step_reset (store, st->data, error))
        return FALSE;
    }
  for (guint i = 0; i < lu->result->obligations->len; i++)
    {
      const KdxObligation *o = g_ptr_array_index (lu->result->obligations, i);

      sqlite3_bind_int64 (st->obligation, 1, id);
      sqlite3_bind_text (st->obligation, 2, o->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->obligation, 3, o->catalog, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->obligation, 4, o->requirement, -1, SQLITE_STATIC);
      if (!step_reset (store, st->obligation, error))
        return FALSE;
    }

  /* The business owner is accountable, the technical owner responsible;
   * an overseer of the department is informed. */
  {
    gint64 overseer = pick (refs->people, rand);
    const struct { gint64 person; const char *role; } raci[] = {
      { business, "A" }, { technical, "R" }, { overseer, "I" },
    };

    sqlite3_bind_int64 (st->overseer, 1, id);
    sqlite3_bind_int64 (st->overseer, 2, overseer);
    if (!step_reset (store, st->overseer, error))
      return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (raci); i++)
      {
        gboolean seen = FALSE;

        for (guint j = 0; j < i; j++)
          seen |= raci[j].person == raci[i].person;
        if (seen)
          continue;
        sqlite3_bind_int64 (st->raci, 1, id);
        sqlite3_bind_int64 (st->raci, 2, raci[i].person);
        sqlite3_bind_text (st->raci, 3, raci[i].role, -1, SQLITE_STATIC);
        if (!step_reset (store, st->raci, error))
          return FALSE;
      }
  }

  json_builder_begin_object (b);
  json_text_member (b, "uuid", uuid);
  json_text_member (b, "key", key);
  json_text_member (b, "name", name);
  json_text_member (b, "use_case", uc->id);
  json_text_member (b, "lifecycle", kdx_lifecycle_to_string (lifecycle));
  json_text_member (b, "risk", lu->result->risk >= 0 ? kdx_risk_class_to_string (lu->result->risk)
                                                     : NULL);
  json_text_member (b, "answers", lu->answers);
  json = json_text (b);
  summary = g_strdup_printf ("%s %s", key, name);
  if (!kdx_journal_append (store, "ai_system", uuid, "create", summary, NULL, json, error))
    return FALSE;

  /* Three to eight policies, assessed or not. */
  n_policies = pick_distinct (rand, refs->policies->len, g_rand_int_range (rand, 3, 9), chosen);
  for (guint i = 0; i < n_policies; i++)
    {
      KdxCompliance status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
      const char *policy_key = g_ptr_array_index (refs->policy_keys, chosen[i]);
      g_autofree char *date = NULL;
      g_autofree char *link_summary = NULL;
      g_autofree char *link_json = NULL;
      g_autoptr(JsonBuilder) lb = json_builder_new ();
      gint64 assessor = 0;

      if (status != KDX_COMPLIANCE_NOT_ASSESSED)
        {
          date = g_strdup_printf ("%04u-%02u-%02u", g_rand_int_range (rand, 2025, 2027),
                                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
          assessor = pick (refs->committee, rand);
        }
      sqlite3_bind_int64 (st->policy_system, 1, g_array_index (refs->policies, gint64, chosen[i]));
      sqlite3_bind_int64 (st->policy_system, 2, id);
      sqlite3_bind_text (st->policy_system, 3, kdx_compliance_to_string (status), -1,
                         SQLITE_STATIC);
      if (assessor > 0)
        sqlite3_bind_int64 (st->policy_system, 4, assessor);
      kdx_store_bind_text_or_null (st->policy_system, 5, date);
      kdx_store_bind_text_or_null (st->policy_system, 6, english ? evidence_notes[status].en
                                                                 : evidence_notes[status].de);
      if (!step_reset (store, st->policy_system, error))
        return FALSE;

      json_builder_begin_object (lb);
      json_text_member (lb, "policy", g_ptr_array_index (refs->policy_uuids, chosen[i]));
      json_text_member (lb, "policy_key", policy_key);
      json_text_member (lb, "status", kdx_compliance_to_string (status));
      json_text_member (lb, "assessed", date);
      link_json = json_text (lb);
      link_summary = g_strdup_printf ("%s · %s: %s", key, policy_key,
                                      kdx_compliance_to_string (status));
      if (!kdx_journal_append (store, "ai_system", uuid, "map-policy", link_summary, NULL,
                               link_json, error))
        return FALSE;
    }

  return TRUE;
}

/* About three requirements for every second policy. */
static gboolean
link_large_requirements (KdxStore         *store,
                         LargeStatements  *st,
                         LargeRefs        *refs,
                         const char       *now,
                         GRand            *rand,
                         GError          **error)
{
  if (refs->requirements->len == 0)
    return TRUE;

  for (guint p = 0; p < refs->policies->len; p += 2)
    {
      guint chosen[4];
      guint n = pick_distinct (rand, refs->requirements->len, g_rand_int_range (rand, 2, 5),
                               chosen);

      for (guint i = 0; i < n; i++)
        {
          char **label = g_ptr_array_index (refs->requirement_labels, chosen[i]);
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autofree char *json = NULL;
          g_autofree char *summary = NULL;

          sqlite3_bind_int64 (st->policy_requirement, 1, g_array_index (refs->policies, gint64, p));
          sqlite3_bind_int64 (st->policy_requirement, 2,
                              g_array_index (refs->requirements, gint64, chosen[i]));
          sqlite3_bind_text (st->policy_requirement, 3, now, -1, SQLITE_STATIC);
          if (!step_reset (store, st->policy_requirement, error))
            return FALSE;

          json_builder_begin_object (b);
          json_text_member (b, "requirement", label[0]);
          json_text_member (b, "catalog", label[1]);
          json_text_member (b, "code", label[2]);
          json = json_text (b);
          summary = g_strdup_printf ("%s · %s %s", (char *) g_ptr_array_index (refs->policy_keys, p),
                                     label[1], label[3]);
          if (!kdx_journal_append (store, "policy", g_ptr_array_index (refs->policy_uuids, p),
                                   "map-requirement", summary, NULL, json, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
fill_large_systems (KdxStore      *store,
                    gboolean       english,
                    KdxJob        *job,
                    GCancellable  *cancellable,
                    GError       **error)
{
  const guint total = 2000;
  LargeUseCase use_cases[G_N_ELEMENTS (large_names)] = { { 0 } };
  LargeStatements st = { 0 };
  LargeRefs refs = { 0 };
  g_autofree char *now = kdx_store_now_iso8601 ();
  GRand *rand = g_rand_new_with_seed (2024);
  guint n_use_cases = 0;
  gboolean ok = FALSE;

  /* Each use case classified once, by the same rules as every system. */
  for (guint i = 0; i < G_N_ELEMENTS (large_names); i++)
    {
      const KdxUseCase *uc = kdx_use_case_lookup (large_names[i].use_case);
      g_autoptr(GHashTable) answers = NULL;
      LargeUseCase *lu = &use_cases[n_use_cases];

      if (uc == NULL)
        continue;
      answers = kdx_use_case_dup_answers (uc);
      lu->result = kdx_classify (answers, error);
      if (lu->result == NULL)
        goto out;
      lu->use_case = uc;
      lu->name = english ? large_names[i].en : large_names[i].de;
      lu->answers = kdx_answers_to_json (answers);
      lu->reasoning = kdx_classification_dup_reasoning_text (lu->result);
      n_use_cases++;
    }

  if (n_use_cases == 0 || !large_statements_prepare (store, &st, error) ||
      !large_refs_load (store, &refs, error))
    goto out;
  if (refs.people->len == 0 || refs.committee->len == 0 || refs.policies->len == 0)
    {
      ok = TRUE;
      goto out;
    }

  for (guint n = 0; n < total; n++)
    {
      if (!insert_large_system (store, &st, &refs, &use_cases[n % n_use_cases], n, english, now,
                                rand, error))
        goto out;
      if ((n & 63) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) n / total, _("Creating AI systems"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
        }
    }
  if (!link_large_requirements (store, &st, &refs, now, rand, error))
    goto out;

  kdx_store_mark_changed (store, "ai_system", 0);
  kdx_store_mark_changed (store, "policy", 0);
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (use_cases); i++)
    {
      g_free (use_cases[i].answers);
      g_free (use_cases[i].reasoning);
      g_clear_pointer (&use_cases[i].result, kdx_classification_free);
    }
  large_statements_clear (&st);
  large_refs_clear (&refs);
  g_rand_free (rand);

  return ok;
}

/* ------------------------------------------------------------------ */
/* Training                                                            */

/* Days as the demo counts them: relative to the real today, so that the
 * statuses stay what they are meant to be (the date helpers are local, as
 * in kdx-training.c). */
static char *
demo_day (const char *today,
          int         days)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_parse (&date, today);
  if (!g_date_valid (&date))
    return g_strdup (today);
  if (days >= 0)
    g_date_add_days (&date, (guint) days);
  else
    g_date_subtract_days (&date, (guint) -days);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

/* @iso moved by @months (negative: back), the end of a shorter month kept. */
static char *
demo_month (const char *iso,
            int         months)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_parse (&date, iso);
  if (!g_date_valid (&date))
    return g_strdup (iso);
  if (months >= 0)
    g_date_add_months (&date, (guint) months);
  else
    g_date_subtract_months (&date, (guint) -months);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

static char *
local_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

typedef struct
{
  const char *title_de;
  const char *title_en;
  const char *topic_de;
  const char *topic_en;
  const char *description_de;
  const char *description_en;
  guint       minutes;
  guint       validity_months;
  gboolean    ai_literacy;
  const char *policies[3];   /* the shipped templates of the policies it teaches */
} DemoCourse;

static const DemoCourse demo_courses[] = {
  /* 0 */
  { "KI-Kompetenz für alle (EU AI Act Art. 4)", "AI literacy for everyone (EU AI Act Art. 4)",
    "KI-Kompetenz", "AI literacy",
    "Was KI kann und was nicht, wo wir sie einsetzen, welche Risiken sie birgt und was der "
    "Verhaltenskodex von allen verlangt. Pflicht für alle nach Art. 4 der KI-Verordnung.",
    "What AI can and cannot do, where we use it, what risks it carries and what the code of "
    "conduct asks of everyone. Required of all staff by Art. 4 of the AI Act.",
    90, 12, TRUE, { "ai-literacy", "code-of-conduct" } },
  /* 1 */
  { "Ethisch verkaufen mit KI", "Ethical selling with AI", "Vertrieb", "Sales",
    "Lead-Scoring, Next-Best-Offer und Textassistenten im Kundengespräch: Transparenz, keine "
    "Manipulation, keine Ausnutzung von Schwächen, Kennzeichnung KI-erstellter Texte.",
    "Lead scoring, next best offers and writing assistants in front of customers: "
    "transparency, no manipulation, no exploiting weaknesses, labelling AI-written text.",
    120, 12, TRUE, { "sales-psychology", "disclosure", "lead-scoring" } },
  /* 2 */
  { "Menschliche Aufsicht über KI-Systeme", "Human oversight of AI systems", "Aufsicht",
    "Oversight",
    "Für alle, die ein KI-System beaufsichtigen: Ausgaben verstehen und prüfen, "
    "Automatisierungsgläubigkeit erkennen, eingreifen und abschalten (Art. 14 und 26 KI-VO).",
    "For everyone who oversees an AI system: understanding and checking its output, "
    "recognising automation bias, intervening and stopping it (AI Act Art. 14 and 26).",
    180, 12, TRUE, { "human-oversight", "explainability" } },
  /* 3 */
  { "DSGVO-Grundlagen", "GDPR basics", "Datenschutz", "Data protection",
    "Rechtsgrundlagen, Zweckbindung, Betroffenenrechte und Meldewege bei Datenpannen, mit "
    "Beispielen aus Vertrieb und Kundenservice.",
    "Legal bases, purpose limitation, the rights of data subjects and how to report a data "
    "breach, with examples from sales and customer service.",
    60, 24, FALSE, { "data-protection" } },
  /* 4 */
  { "Sicher prompten", "Prompting safely", "KI-Werkzeuge", "AI tools",
    "Keine Kundendaten in öffentliche Chatbots, Ergebnisse prüfen, Quellen angeben: "
    "praktische Übungen mit den freigegebenen Werkzeugen.",
    "No customer data in public chatbots, checking results, naming sources: hands-on "
    "exercises with the approved tools.",
    45, 0, TRUE, { "disclosure" } },
  /* 5 */
  { "KI-Systeme bewerten: Methodik des Ethikgremiums",
    "Assessing AI systems: the ethics committee's method", "Ethikgremium", "Ethics committee",
    "Risikoklassen, Folgenabschätzung, Abstimmung und Dokumentation: wie das Gremium ein "
    "KI-System prüft.",
    "Risk classes, impact assessment, voting and records: how the committee reviews an AI "
    "system.",
    240, 24, TRUE, { "committee-charter", "ai-system-intake" } },
  /* Only in the large workspace. */
  /* 6 */
  { "Informationssicherheit im Vertrieb", "Information security in sales", "Sicherheit",
    "Security",
    "Phishing, sichere Passwörter, mobile Geräte beim Kunden und der Umgang mit vertraulichen "
    "Angeboten.",
    "Phishing, safe passwords, mobile devices at customer sites and confidential quotations.",
    60, 12, FALSE, { NULL } },
  /* 7 */
  { "Fairness und Diskriminierungsfreiheit", "Fairness and non-discrimination", "Fairness",
    "Fairness",
    "Wie Scoring- und Preismodelle Gruppen benachteiligen können und wie wir das prüfen.",
    "How scoring and pricing models can disadvantage groups, and how we check for it.",
    90, 24, TRUE, { "lead-scoring", "dynamic-pricing" } },
  /* 8 */
  { "KI-Inhalte kennzeichnen", "Labelling AI-generated content", "Transparenz", "Transparency",
    "Wann und wie Texte, Bilder und Chatbots als KI gekennzeichnet werden (Art. 50 KI-VO).",
    "When and how text, images and chatbots are labelled as AI (AI Act Art. 50).",
    30, 12, TRUE, { "disclosure" } },
  /* 9 */
  { "Urheberrecht und KI-generierte Inhalte", "Copyright and AI-generated content", "Recht",
    "Law",
    "Was wir mit KI-erzeugten Texten und Bildern tun dürfen und was nicht.",
    "What we may and may not do with AI-generated text and images.",
    45, 0, FALSE, { NULL } },
};

#define N_SMALL_COURSES 6

static KdxCourse *
insert_demo_course (KdxStore          *store,
                    const DemoCourse  *d,
                    gboolean           english,
                    GError           **error)
{
  g_autoptr(KdxCourse) course = kdx_course_new ();
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (g_free);

  kdx_course_set_title (course, english ? d->title_en : d->title_de);
  kdx_course_set_topic (course, english ? d->topic_en : d->topic_de);
  kdx_course_set_description (course, english ? d->description_en : d->description_de);
  kdx_course_set_duration_minutes (course, d->minutes);
  kdx_course_set_validity_months (course, d->validity_months);
  kdx_course_set_ai_literacy (course, d->ai_literacy);
  for (guint i = 0; i < G_N_ELEMENTS (d->policies) && d->policies[i] != NULL; i++)
    {
      char *policy = kdx_policy_find_by_template (store, d->policies[i]);

      if (policy != NULL)
        g_ptr_array_add (policies, policy);
    }
  g_ptr_array_add (policies, NULL);
  kdx_course_set_policies (course, (const char *const *) policies->pdata);

  if (!kdx_course_insert (store, course, error))
    return NULL;

  return g_steal_pointer (&course);
}

static gboolean
insert_demo_rule (KdxStore    *store,
                  KdxCourse   *course,
                  KdxRuleKind  kind,
                  const char  *target,
                  guint        due_days,
                  GError     **error)
{
  g_autoptr(KdxRule) rule = kdx_rule_new ();

  rule->course_uuid = g_strdup (kdx_course_get_uuid (course));
  rule->kind = kind;
  rule->target = g_strdup (target);
  rule->due_days = due_days;

  return kdx_rule_insert (store, rule, error);
}

/* The small organisation's training history, one character per person of
 * small_org and course (a space where no rule gives the course):
 *   c  completed, valid for more than 90 days
 *   e  completed, expiring within 90 days (the next round comes with the
 *      next kdx_training_apply())
 *   x  completed, expired 10–90 days ago: the next round is overdue
 *   r  as x, and the next round is completed too
 *   o  never completed: overdue or (a long due time) still open
 *   a  given a few days ago, not due yet
 * Indexes:            0         1         2         3
 *                     0123456789012345678901234567890123456789 */
static const char *small_history[N_SMALL_COURSES] = {
  /* AI literacy, everyone          */ "cccecoccrcxcoc cecccxcccoccecccrccccaxa ",
  /* Ethical selling, sales depts   */ "  ccoccecxcrca cce                    o ",
  /* Oversight, the overseers       */ "   c  cc co        c  rc  cex      c    ",
  /* GDPR basics, everyone          */ "cccccxcccceccc ccoccrccccacccecxccccacc ",
  /* Prompting safely, three depts  */ "                  ccocccoc   ccca       ",
  /* The committee's course: given this week, nothing done yet. */ NULL,
};

/* A number that differs between people and courses. */
static guint
demo_hash (guint person,
           guint course)
{
  return (person * 2654435761u + course * 40503u) >> 7;
}

typedef struct
{
  guint  course;
  char  *day;
  GPtrArray *people;   /* uuids */
} DemoCompletion;

static void
demo_completion_free (DemoCompletion *c)
{
  g_free (c->day);
  g_ptr_array_unref (c->people);
  g_free (c);
}

/* Adds @person to the completions of @course on @day (grouped, so that
 * each is one call and one journal entry). */
static void
add_completion (GPtrArray  *completions,
                guint       course,
                const char *day,
                const char *person)
{
  DemoCompletion *c = NULL;

  for (guint i = 0; i < completions->len && c == NULL; i++)
    {
      DemoCompletion *other = completions->pdata[i];

      if (other->course == course && g_str_equal (other->day, day))
        c = other;
    }
  if (c == NULL)
    {
      c = g_new0 (DemoCompletion, 1);
      c->course = course;
      c->day = g_strdup (day);
      c->people = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (completions, c);
    }
  g_ptr_array_add (c->people, g_strdup (person));
}

static int
compare_completions (gconstpointer a,
                     gconstpointer b)
{
  const DemoCompletion *x = *(DemoCompletion **) a, *y = *(DemoCompletion **) b;
  int by_day = strcmp (x->day, y->day);

  return by_day != 0 ? by_day : (int) x->course - (int) y->course;
}

static gboolean
complete_all (KdxStore    *store,
              GPtrArray   *courses,
              GPtrArray   *completions,
              GError     **error)
{
  g_ptr_array_sort (completions, compare_completions);
  for (guint i = 0; i < completions->len; i++)
    {
      DemoCompletion *c = completions->pdata[i];
      guint h = demo_hash (c->people->len, c->course) + i;

      g_ptr_array_add (c->people, NULL);
      if (!kdx_assignment_complete (store, kdx_course_get_uuid (courses->pdata[c->course]),
                                    (const char *const *) c->people->pdata, c->day,
                                    70 + h % 31, error))
        return FALSE;
    }

  return TRUE;
}

/* Six courses, the rules that give them (everyone, three sales
 * departments, the overseers of every AI system, three departments, the
 * committee), and two years of history: completed, overdue, assigned,
 * expiring soon, expired with the next round overdue or done, and two
 * overseers without valid oversight training, so that the competence gate
 * flags the systems they oversee (Dynamic prices, Next best offer).
 *
 * The rounds come from the rules as they are applied today; the demo then
 * dates them back to when each person was given the course (a workspace
 * made today has no past of its own), completes them through the API on
 * their days, and lets kdx_training_apply() open the next rounds as it
 * would have 100 days ago. */
static gboolean
fill_small_training (KdxStore   *store,
                     gboolean    english,
                     GError    **error)
{
  g_autoptr(GPtrArray) people = small_org_uuids (store, error);
  g_autoptr(GPtrArray) courses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_completion_free);
  g_autoptr(GPtrArray) renewed = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_completion_free);
  g_autoptr(sqlite3_stmt) backdate = NULL;
  g_autofree char *today = local_today ();
  g_autofree char *hundred_days_ago = demo_day (today, -100);
  static const struct
  {
    guint        course;
    KdxRuleKind  kind;
    const char  *target_de;
    const char  *target_en;
    guint        due_days;
  } rules[] = {
    { 0, KDX_RULE_EVERYONE, NULL, NULL, 30 },
    { 1, KDX_RULE_DEPARTMENT, "Vertrieb Innendienst", "Inside Sales", 60 },
    { 1, KDX_RULE_DEPARTMENT, "Vertrieb Außendienst", "Field Sales", 60 },
    { 1, KDX_RULE_DEPARTMENT, "Key Account Management", "Key Account Management", 60 },
    { 2, KDX_RULE_OVERSEERS, NULL, NULL, 30 },
    { 3, KDX_RULE_EVERYONE, NULL, NULL, 45 },
    { 4, KDX_RULE_DEPARTMENT, "Marketing", "Marketing", 30 },
    { 4, KDX_RULE_DEPARTMENT, "Customer Success", "Customer Success", 30 },
    { 4, KDX_RULE_DEPARTMENT, "IT & Data Science", "IT & Data Science", 30 },
  };
  /* Two who asked for the prompting course outside those departments. */
  static const guint prompting_guests[] = { 2, 26 };

  if (people == NULL)
    return FALSE;

  for (guint i = 0; i < N_SMALL_COURSES; i++)
    {
      KdxCourse *course = insert_demo_course (store, &demo_courses[i], english, error);

      if (course == NULL)
        return FALSE;
      g_ptr_array_add (courses, course);
    }
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (!insert_demo_rule (store, courses->pdata[rules[i].course], rules[i].kind,
                           english ? rules[i].target_en : rules[i].target_de, rules[i].due_days,
                           error))
      return FALSE;

  /* When each round was given, and the completions that follow. */
  backdate = kdx_store_prepare (store, "UPDATE assignment SET assigned = ?3, "
                                "due = date(?3, '+' || (SELECT due_days FROM assignment_rule r "
                                "WHERE r.id = assignment.rule_id) || ' days') "
                                "WHERE current = 1 AND completed IS NULL AND source = 'rule' "
                                "AND person_id = (SELECT id FROM person WHERE uuid = ?1) "
                                "AND course_id = (SELECT id FROM course WHERE uuid = ?2)", error);
  if (backdate == NULL)
    return FALSE;
  for (guint k = 0; k < N_SMALL_COURSES; k++)
    {
      guint validity = demo_courses[k].validity_months;

      for (guint i = 0; small_history[k] != NULL && small_history[k][i] != '\0'; i++)
        {
          char what = small_history[k][i];
          const char *person = g_ptr_array_index (people, i);
          guint h = demo_hash (i, k);
          g_autofree char *done = NULL;
          g_autofree char *assigned = NULL;
          g_autofree char *expires = NULL;

          if (what == ' ')
            continue;
          if (validity == 0 && what != 'o' && what != 'a')
            what = 'c';
          switch (what)
            {
            case 'e':   /* expires 5–84 days from today */
              {
                g_autofree char *expiry = demo_day (today, 5 + h % 80);
                done = demo_month (expiry, -(int) validity);
              }
              break;
            case 'x': case 'r':   /* expired 10–89 days ago */
              {
                g_autofree char *expiry = demo_day (today, -10 - (int) (h % 80));
                done = demo_month (expiry, -(int) validity);
              }
              break;
            case 'o':   /* given 45–104 days ago */
              assigned = demo_day (today, -45 - (int) (h % 60));
              break;
            case 'a':   /* given 3–20 days ago */
              assigned = demo_day (today, -3 - (int) (h % 18));
              break;
            default:    /* done in a weekly session, 3 days to 8 months ago */
              done = demo_day (today, -3 - 7 * (int) (h % (validity == 12 ? 35 : 57)));
              break;
            }
          if (assigned == NULL)
            assigned = demo_day (done, -1 - (int) (h % 25));

          sqlite3_bind_text (backdate, 1, person, -1, SQLITE_STATIC);
          sqlite3_bind_text (backdate, 2, kdx_course_get_uuid (courses->pdata[k]), -1,
                             SQLITE_STATIC);
          sqlite3_bind_text (backdate, 3, assigned, -1, SQLITE_STATIC);
          if (!step_reset (store, backdate, error))
            return FALSE;
          if (done != NULL)
            add_completion (first, k, done, person);
          if (what == 'r')
            {
              /* The next round (given 100 days ago, due on the expiry),
               * done a few days before the old certificate ran out. */
              expires = demo_month (done, (int) validity);
              g_free (done);
              done = demo_day (expires, -1 - (int) (h % 8));
              add_completion (renewed, k, done, person);
            }
        }
    }

  /* The first rounds completed; 100 days ago the rules opened the next
   * round of each certificate that was to expire within 90 days, and those
   * who renewed in time completed it. The certificates that expire within
   * the next 90 days are left for the newcomer: the status views count
   * them as expiring, and applying the rules opens their next rounds. */
  if (!complete_all (store, courses, first, error) ||
      !kdx_training_apply (store, NULL, hundred_days_ago, NULL, error) ||
      !complete_all (store, courses, renewed, error))
    return FALSE;

  /* The committee's course is new: its rule gives it today. */
  if (!insert_demo_rule (store, courses->pdata[5], KDX_RULE_COMMITTEE, NULL, 60, error))
    return FALSE;

  /* Assigned by hand. */
  {
    const char *guests[G_N_ELEMENTS (prompting_guests) + 1] = { NULL };
    g_autofree char *due = demo_day (today, 21);

    for (guint i = 0; i < G_N_ELEMENTS (prompting_guests); i++)
      guests[i] = g_ptr_array_index (people, prompting_guests[i]);
    if (!kdx_assignment_assign (store, kdx_course_get_uuid (courses->pdata[4]), guests, due,
                                NULL, error))
      return FALSE;
  }

  return TRUE;
}

/* ---- The large workspace: 100,000 people × 10 courses ---------------- */

/* Every person of the large organisation has a current round of each of
 * the ten courses, written set-based in the demo's one transaction (a
 * million API calls would take many minutes). Each person × course falls,
 * by a hash of the two ids and with a share of overdue rounds that
 * differs by department, into one of:
 *   1 completed, valid beyond 90 days     2 assigned, not yet due
 *   3 overdue                             4 expiring within 90 days
 *   5 expired                             6 completed in the last days
 * Courses without validity have no 4 and 5. A round of 4 or 5 is followed
 * by the next one (LARGE_RENEWALS_SQL), as kdx_training_apply() leaves it.
 * Dates count from ?5, today.
 *
 * ?1 course id, ?2 validity in months, ?3 the course's number (for the
 * hash), ?4 due days, ?5 today, ?6 the rule for everyone or for role ?7,
 * ?8 the rule for role ?9 (NULL). Rounds of someone whom no rule asks
 * for were given by hand. */
#define LARGE_ROUNDS_SQL                                                                     \
  "INSERT INTO assignment (person_id, course_id, rule_id, source, assigned, due, completed, " \
  "score, expires, current) "                                                                \
  "SELECT person_id, ?1, rule_id, CASE WHEN rule_id IS NULL THEN 'manual' ELSE 'rule' END, " \
  "date(assigned), date(assigned + ?4), completed, "                                         \
  "CASE WHEN completed IS NOT NULL THEN 60 + v % 41 END, "                                   \
  "CASE WHEN completed IS NULL OR ?2 = 0 THEN NULL "                                         \
  "     WHEN substr(completed, 6) = '02-29' "                                                \
  "       THEN date(completed, '+' || ?2 || ' months', '-1 day') "                           \
  "     ELSE date(completed, '+' || ?2 || ' months') END, "                                  \
  "k NOT IN (4, 5) "                                                                         \
  "FROM (SELECT person_id, rule_id, k, v, "                                                  \
  "        CASE WHEN done IS NULL THEN open_assigned ELSE done - v % 28 - 1 END AS assigned, " \
  "        date(done) AS completed "                                                         \
  "      FROM (SELECT person_id, rule_id, k, v, "                                            \
  "              CASE k WHEN 1 THEN t - 15 - v % (CASE WHEN ?2 > 0 THEN ?2 * 30 - 120 "      \
  "                                                    ELSE 700 END) "                       \
  "                     WHEN 4 THEN julianday(date(t + 2 + v % 88, '-' || ?2 || ' months')) " \
  "                     WHEN 5 THEN julianday(date(t - 1 - v % 200, '-' || ?2 || ' months')) " \
  "                     WHEN 6 THEN t - v % 5 END AS done, "                                 \
  "              CASE k WHEN 2 THEN t - v % 25 WHEN 3 THEN t - ?4 - 5 - v % 300 END "        \
  "                AS open_assigned "                                                        \
  "            FROM (SELECT person_id, rule_id, v, t, "                                      \
  "                    CASE WHEN u < 60 + dep * 30 THEN 3 "                                  \
  "                         WHEN u < 160 + dep * 30 THEN 2 "                                 \
  "                         WHEN ?2 > 0 AND u < 230 + dep * 30 THEN 4 "                      \
  "                         WHEN ?2 > 0 AND u < 290 + dep * 30 THEN 5 "                      \
  "                         WHEN u < 330 + dep * 30 THEN 6 ELSE 1 END AS k "                 \
  "                  FROM (SELECT p.id AS person_id, "                                       \
  "                          CASE WHEN ?7 IS NULL OR p.role = ?7 THEN ?6 "                   \
  "                               WHEN p.role = ?9 THEN ?8 END AS rule_id, "                 \
  "                          (p.id * 7919 + ?3 * 104729) % 1000 AS u, "                      \
  "                          (p.id * 48271 + ?3 * 7) % 10007 AS v, "                         \
  "                          (length(coalesce(p.department, '')) * 13 "                      \
  "                           + unicode(substr(coalesce(p.department, ' '), -1))) % 5 AS dep, " \
  "                          julianday(?5) AS t "                                            \
  "                        FROM person p WHERE p.trashed IS NULL ORDER BY p.id))))"

/* The next round of each certificate that expires within 90 days of ?1
 * (all of them: the rounds written not current): given 90 days before the
 * expiry, due on it; those that expired up to 100 days ago were completed
 * a few days before they ran out. */
#define LARGE_RENEWALS_SQL                                                                   \
  "INSERT INTO assignment (person_id, course_id, rule_id, previous_id, source, assigned, due, " \
  "completed, score, expires, current) "                                                     \
  "SELECT person_id, course_id, rule_id, id, 'recertification', date(expires, '-90 days'), " \
  "expires, done, CASE WHEN done IS NOT NULL THEN 60 + (id * 37) % 41 END, "                 \
  "CASE WHEN done IS NULL THEN NULL "                                                        \
  "     WHEN substr(done, 6) = '02-29' "                                                     \
  "       THEN date(done, '+' || validity_months || ' months', '-1 day') "                   \
  "     ELSE date(done, '+' || validity_months || ' months') END, 1 "                        \
  "FROM (SELECT a.id, a.person_id, a.course_id, a.rule_id, a.expires, c.validity_months, "   \
  "        CASE WHEN julianday(?1) - julianday(a.expires) BETWEEN 1 AND 100 "                \
  "             THEN date(a.expires, '-' || (1 + a.id % 8) || ' days') END AS done "         \
  "      FROM assignment a JOIN course c ON c.id = a.course_id "                             \
  "      WHERE a.current = 0 ORDER BY a.id)"

/* Which courses the large workspace gives, and how: the index into
 * demo_courses, the rules' due days, and the role rules (NULL: a rule for
 * everyone; the oversight course also has a rule for the overseers of
 * every system). */
static const struct
{
  guint       course;
  guint       due_days;
  const char *role_de[2];
  const char *role_en[2];
} large_courses[] = {
  { 0, 30, { NULL }, { NULL } },
  { 1, 60, { "Vertriebsmitarbeitende", "Teamleitung" }, { "Sales Representative", "Team Lead" } },
  { 2, 30, { NULL }, { NULL } },
  { 3, 45, { NULL }, { NULL } },
  { 4, 30, { NULL }, { NULL } },
  { 6, 30, { NULL }, { NULL } },
  { 7, 60, { NULL }, { NULL } },
  { 8, 30, { NULL }, { NULL } },
  { 9, 90, { NULL }, { NULL } },
  { 5, 60, { NULL }, { NULL } },
};

/* A rule written as kdx_rule_insert() writes and journals it, without
 * applying it: the rounds it asks for are written by the caller. Its row
 * id, or 0 on error. */
static gint64
insert_large_rule (KdxStore     *store,
                   sqlite3_stmt *stmt,
                   KdxCourse    *course,
                   KdxRuleKind  kind,
                   const char  *target,
                   guint        due_days,
                   const char  *now,
                   GError     **error)
{
  g_autoptr(KdxRule) rule = kdx_rule_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json = NULL;
  g_autofree char *description = NULL;
  g_autofree char *summary = NULL;
  gint64 id;

  rule->uuid = g_uuid_string_random ();
  rule->course_uuid = g_strdup (kdx_course_get_uuid (course));
  rule->kind = kind;
  rule->target = g_strdup (target);
  rule->due_days = due_days;

  sqlite3_bind_text (stmt, 1, rule->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, kdx_course_get_id (course));
  sqlite3_bind_text (stmt, 3, kdx_rule_kind_to_string (kind), -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 4, target);
  sqlite3_bind_int (stmt, 5, (int) due_days);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!step_reset (store, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  json_builder_begin_object (b);
  json_text_member (b, "uuid", rule->uuid);
  json_text_member (b, "course", rule->course_uuid);
  json_text_member (b, "kind", kdx_rule_kind_to_string (kind));
  json_text_member (b, "target", target);
  json_text_member (b, "system", NULL);
  json_builder_set_member_name (b, "due_days");
  json_builder_add_int_value (b, due_days);
  json = json_text (b);
  description = kdx_rule_dup_description (rule);
  summary = g_strdup_printf ("%s: %s", kdx_course_get_title (course), description);
  if (!kdx_journal_append (store, "assignment-rule", rule->uuid, "create", summary, NULL, json,
                           error))
    return 0;

  return id;
}

/* The indexes of the assignments are dropped while the million rounds are
 * written and made again afterwards from the SQL the schema keeps of them
 * (so the schema stays exactly what the migrations made): sorting once is
 * several times faster than updating the indexes a million times. The
 * index of previous_id stays: each row written into the table is looked
 * up in it (the foreign key of a round to the round it renews). */
static GPtrArray *
drop_assignment_indexes (KdxStore  *store,
                         GError   **error)
{
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = kdx_store_prepare (store, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                            "AND tbl_name = 'assignment' AND sql IS NOT NULL "
                            "AND sql NOT LIKE '%(previous_id)%' ORDER BY name",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, kdx_store_column_text (stmt, 0));
      g_ptr_array_add (sql, kdx_store_column_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < names->len; i++)
    {
      /* An identifier from the schema, quoted: not a value. */
      g_autofree char *drop = g_strdup_printf ("DROP INDEX \"%s\"", (char *) names->pdata[i]);

      if (!kdx_store_exec (store, drop, error))
        return NULL;
    }

  return g_steal_pointer (&sql);
}

static gboolean
fill_large_training (KdxStore      *store,
                     gboolean       english,
                     KdxJob        *job,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(sqlite3_stmt) rule_stmt = NULL;
  g_autoptr(sqlite3_stmt) rounds = NULL;
  g_autoptr(sqlite3_stmt) renewals = NULL;
  g_autoptr(GPtrArray) courses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) indexes = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autofree char *today = local_today ();
  g_autofree char *now = kdx_store_now_iso8601 ();

  rule_stmt = kdx_store_prepare (store, "INSERT INTO assignment_rule (uuid, course_id, kind, "
                                 "target, due_days, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 error);
  rounds = rule_stmt ? kdx_store_prepare (store, LARGE_ROUNDS_SQL, error) : NULL;
  renewals = rounds ? kdx_store_prepare (store, LARGE_RENEWALS_SQL, error) : NULL;
  count = renewals ? kdx_store_prepare (store, "SELECT count(*) FROM assignment "
                                        "WHERE course_id = ?1", error) : NULL;
  if (count == NULL)
    return FALSE;
  indexes = drop_assignment_indexes (store, error);
  if (indexes == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (large_courses); i++)
    {
      const DemoCourse *d = &demo_courses[large_courses[i].course];
      const char * const *roles = english ? large_courses[i].role_en : large_courses[i].role_de;
      guint due_days = large_courses[i].due_days;
      KdxCourse *course = insert_demo_course (store, d, english, error);
      gint64 rule[2] = { 0, 0 };

      if (course == NULL)
        return FALSE;
      g_ptr_array_add (courses, course);

      for (guint r = 0; r < (roles[0] != NULL ? 2 : 1); r++)
        {
          rule[r] = insert_large_rule (store, rule_stmt, course,
                                       roles[0] != NULL ? KDX_RULE_ROLE : KDX_RULE_EVERYONE,
                                       roles[r], due_days, now, error);
          if (rule[r] == 0)
            return FALSE;
        }
      if (large_courses[i].course == 2 &&
          insert_large_rule (store, rule_stmt, course, KDX_RULE_OVERSEERS, NULL, 30, now,
                             error) == 0)
        return FALSE;

      sqlite3_bind_int64 (rounds, 1, kdx_course_get_id (course));
      sqlite3_bind_int (rounds, 2, (int) d->validity_months);
      sqlite3_bind_int (rounds, 3, (int) i + 1);
      sqlite3_bind_int (rounds, 4, (int) due_days);
      sqlite3_bind_text (rounds, 5, today, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (rounds, 6, rule[0]);
      kdx_store_bind_text_or_null (rounds, 7, roles[0]);
      if (rule[1] > 0)
        sqlite3_bind_int64 (rounds, 8, rule[1]);
      kdx_store_bind_text_or_null (rounds, 9, roles[1]);
      if (!step_reset (store, rounds, error))
        return FALSE;

      if (job != NULL)
        kdx_job_set_progress (job, (double) (i + 1) / (G_N_ELEMENTS (large_courses) + 2),
                              _("Creating training records"));
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  sqlite3_bind_text (renewals, 1, today, -1, SQLITE_STATIC);
  if (!step_reset (store, renewals, error))
    return FALSE;
  for (guint i = 0; i < indexes->len; i++)
    if (!kdx_store_exec (store, indexes->pdata[i], error))
      return FALSE;
  if (job != NULL)
    kdx_job_set_progress (job, 1.0, _("Creating training records"));

  /* One entry per course, as kdx_assignment_assign() journals. */
  for (guint i = 0; i < courses->len; i++)
    {
      KdxCourse *course = courses->pdata[i];
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *json = NULL;
      g_autofree char *summary = NULL;
      gint64 n;

      sqlite3_bind_int64 (count, 1, kdx_course_get_id (course));
      if (sqlite3_step (count) != SQLITE_ROW)
        {
          kdx_store_set_sql_error (store, error);
          return FALSE;
        }
      n = sqlite3_column_int64 (count, 0);
      sqlite3_reset (count);

      json_builder_begin_object (b);
      json_text_member (b, "course", kdx_course_get_uuid (course));
      json_builder_set_member_name (b, "rounds");
      json_builder_add_int_value (b, n);
      json = json_text (b);
      summary = g_strdup_printf ("%s: %" G_GINT64_FORMAT " rounds (demo)",
                                 kdx_course_get_title (course), n);
      if (!kdx_journal_append (store, "assignment", kdx_course_get_uuid (course), "assign",
                               summary, NULL, json, error))
        return FALSE;
    }
  kdx_store_mark_changed (store, "assignment", 0);
  kdx_store_mark_changed (store, "assignment-rule", 0);

  return TRUE;
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

  /* The large workspace is written in one transaction of some 400 MB: a
   * cache that holds it saves reading back what was just written. */
  if (size == KDX_DEMO_LARGE)
    kdx_store_exec (store, "PRAGMA cache_size = -524288", NULL);

  ok = kdx_store_set_setting (store, "organisation", ORGANISATION, error) &&
       kdx_store_set_setting (store, "language", english ? "en" : "de", error) &&
       kdx_store_set_setting (store, "quorum", "majority:3", error) &&
       kdx_journal_append (store, "workspace", NULL, "demo",
                           size == KDX_DEMO_LARGE ? "large" : "small", NULL, NULL, error);

  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large (store, english, job, cancellable, error)
                                : fill_small (store, english, error);
  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large_policies (store, english, job, cancellable, error)
                                : fill_small_policies (store, english, error);
  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large_systems (store, english, job, cancellable, error)
                                : fill_small_systems (store, english, error);
  if (ok)
    ok = size == KDX_DEMO_LARGE ? fill_large_training (store, english, job, cancellable, error)
                                : fill_small_training (store, english, error);

  /* Statistics for the planner, now that the tables are full. */
  if (ok)
    ok = kdx_store_exec (store, "ANALYZE", error);

  if (ok)
    ok = kdx_store_commit (store, error);
  else
    kdx_store_rollback (store);
  kdx_store_exec (store, "PRAGMA cache_size = -2000", NULL);

  return ok;
}
