/** Shape checks for resource, resource type and token template answers (see `parse.ts` for the approach). */
import type { Resource, ResourceType, TokenTemplate } from './model.ts';
import { badShape, pageParser, parseResourceRef, readList, readNumberOrNull, readObject, readString, readStringList, readStringOrNull, readTimeOrNull, type Parser } from './parse.ts';

export const parseResourceType: Parser<ResourceType> = (value, path) => {
  const o = readObject(value, path);
  return { id: readString(o, 'id', path), name: readString(o, 'name', path) };
};

export const parseResource: Parser<Resource> = (value, path) => {
  const o = readObject(value, path);
  return {
    type: readString(o, 'type', path),
    id: readString(o, 'id', path),
    name: readString(o, 'name', path),
    org_id: readStringOrNull(o, 'org_id', path),
    created_at: readTimeOrNull(o, 'created_at', path),
    updated_at: readTimeOrNull(o, 'updated_at', path),
  };
};

export const parseTokenTemplate: Parser<TokenTemplate> = (value, path) => {
  const o = readObject(value, path);
  const template: TokenTemplate = {
    id: readString(o, 'id', path),
    name: readString(o, 'name', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    scopes: readStringList(o, 'scopes', path),
    expires_in_days: readNumberOrNull(o, 'expires_in_days', path),
    resources: o['resources'] == null ? [] : readList(o, 'resources', path, parseResourceRef),
    allowed_ips: o['allowed_ips'] == null ? [] : readStringList(o, 'allowed_ips', path),
    created_at: readTimeOrNull(o, 'created_at', path),
    updated_at: readTimeOrNull(o, 'updated_at', path),
  };
  if (template.id === '') throw badShape(`${path}.id`, 'a non-empty string', '');
  if (template.expires_in_days !== null && template.expires_in_days <= 0) throw badShape(`${path}.expires_in_days`, 'a positive number or null', template.expires_in_days);
  return template;
};

export const parseResourceTypeList: Parser<ResourceType[]> = (value, path) => readList(readObject(value, path), 'items', path, parseResourceType);
export const parseResourcePage = pageParser(parseResource);
export const parseTemplateList: Parser<TokenTemplate[]> = (value, path) => readList(readObject(value, path), 'items', path, parseTokenTemplate);
