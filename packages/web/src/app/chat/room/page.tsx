"use client";
import { useSearchParams } from "next/navigation";
import { ChatScreen } from "../../../components/chat/chat-screen";

export default function ChatRoomPage() {
  const id = useSearchParams().get("id");
  return <ChatScreen roomId={id || null} />;
}
