#pragma once

// RAII owners for libssh handles (STYLE.md item 11). Private to core/ssh: nothing outside includes libssh.

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <memory>

namespace TuneDeck::SshHandles {

struct SessionDeleter
{
    void operator()(ssh_session session) const
    {
        ssh_disconnect(session);
        ssh_free(session);
    }
};
struct ChannelDeleter
{
    void operator()(ssh_channel channel) const { ssh_channel_free(channel); }
};
struct SftpDeleter
{
    void operator()(sftp_session sftp) const { sftp_free(sftp); }
};
struct SftpFileDeleter
{
    void operator()(sftp_file file) const { sftp_close(file); }
};
struct SftpAttributesDeleter
{
    void operator()(sftp_attributes attributes) const { sftp_attributes_free(attributes); }
};
struct KeyDeleter
{
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct KnownHostsEntryDeleter
{
    void operator()(ssh_knownhosts_entry* entry) const { ssh_knownhosts_entry_free(entry); }
};
struct CharDeleter
{
    void operator()(char* text) const { ssh_string_free_char(text); }
};
struct HashDeleter
{
    void operator()(unsigned char* hash) const { ssh_clean_pubkey_hash(&hash); }
};

struct EventDeleter
{
    void operator()(ssh_event event) const { ssh_event_free(event); }
};

using Session = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using Channel = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;
using Sftp = std::unique_ptr<sftp_session_struct, SftpDeleter>;
using SftpFile = std::unique_ptr<sftp_file_struct, SftpFileDeleter>;
using SftpAttributes = std::unique_ptr<sftp_attributes_struct, SftpAttributesDeleter>;
using Key = std::unique_ptr<ssh_key_struct, KeyDeleter>;
using KnownHostsEntry = std::unique_ptr<ssh_knownhosts_entry, KnownHostsEntryDeleter>;
using CString = std::unique_ptr<char, CharDeleter>;
using Event = std::unique_ptr<ssh_event_struct, EventDeleter>;
using Hash = std::unique_ptr<unsigned char, HashDeleter>;

} // namespace TuneDeck::SshHandles
