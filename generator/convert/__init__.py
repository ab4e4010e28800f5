"""OpenAPI 3.0/3.1 (as the IR) → Swagger 2.0, with a loss report.

Serves `connectorgen convert` (any OpenAPI document) and the powerplatform target. What dialect of
Swagger 2.0 is written is one table, `ConvertOptions.profile` (profile.py): plain Swagger 2.0 by
default, Power Platform's from `generator/targets/powerplatform/profile.py`. Entry point:
`convert(api, options) -> ConvertResult`.

The loss report lists, with the JSON pointer of the input it concerns, everything a Swagger 2.0
reader no longer sees or would read differently. Levels: `warning` when the described contract
changes (validation dropped or loosened, a request/callback/parameter that cannot be described,
security lost); `info` for documentation and tool hints dropped or rewritten (links, examples,
extensions, the profile's touches). Meaning-keeping rewrites (`$ref` paths, `x-nullable`, `const`,
body parameters, exclusive bounds) are not reported. Codes are stable snake_case:

- schemas: any_of_first_alternative, any_of_merged, one_of_first_alternative, one_of_merged,
  type_array_dropped, type_unsupported, schema_keyword_unsupported, schema_keyword_dropped,
  false_schema_dropped, format_dropped, examples_reduced, default_null_dropped,
  discriminator_dropped, discriminator_mapping_dropped, ref_siblings_wrapped, ref_siblings_dropped,
  ref_unsupported, ref_cycle_broken, unique_items_dropped, extension_dropped;
- parameters and bodies: cookie_parameter_dropped, header_parameter_dropped, parameter_style_dropped,
  parameter_deprecated_dropped, parameter_name_reserved, structured_value_as_string,
  collection_format_multi_unsupported, path_parameter_added, path_parameter_dropped,
  request_content_type_dropped, form_body_not_object, file_in_urlencoded_form,
  file_array_as_single_file, body_on_get_dropped, consumes_media_type_unsupported, media_type_mapped;
- responses: response_status_range_mapped, response_dropped, response_schema_dropped,
  response_content_dropped, produces_media_type_dropped, header_dropped, link_dropped, responses_missing;
- operations: operation_dropped, operation_id_generated, operation_id_renamed, operation_id_duplicate,
  summary_changed, callback_dropped, webhook_dropped, trigger_operation_not_found,
  trigger_notification_url_missing, trigger_schema_not_found;
- repairs of the finished document (repair.py): default_dropped, example_dropped, enum_deduplicated,
  oauth2_url_resolved,
  enum_value_dropped;
- servers and security: server_chosen, server_variables_resolved, server_index_out_of_range,
  server_userinfo_dropped, server_query_dropped, host_invalid, host_missing, base_path_invalid,
  bearer_as_api_key, http_scheme_as_api_key, security_scheme_dropped, security_definition_dropped,
  security_requirement_dropped, security_scopes_dropped, oauth2_flow_dropped,
  oauth2_refresh_url_dropped, oauth2_client_credentials_unsupported.
"""

from __future__ import annotations

from generator.convert.core import convert
from generator.convert.options import ConvertOptions, ConvertResult, Visibility, WebhookAction, WebhookTrigger

__all__ = ["ConvertOptions", "ConvertResult", "Visibility", "WebhookAction", "WebhookTrigger", "convert"]
